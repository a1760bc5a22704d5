def artifact = new File(basedir, 'models/m.pkl'); artifact.parentFile.mkdirs(); artifact.bytes = [1] as byte[]
true
