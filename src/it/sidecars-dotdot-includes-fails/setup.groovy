new File(basedir, 'models').mkdirs()
true
