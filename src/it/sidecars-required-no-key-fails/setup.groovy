def artifact = new File(basedir, 'models/m.pkl'); artifact.parentFile.mkdirs(); artifact.bytes = [1] as byte[]
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
