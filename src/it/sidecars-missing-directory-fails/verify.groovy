def log = new File(basedir, 'build.log').text
def missing = new File(basedir, 'no-such-models').absolutePath
assert log.contains("on project sidecars-missing-directory-fails: Parameter 'modelsDirectory': ${missing} does not exist. Point it at the directory that holds the model artifacts and their sidecars. -> [Help 1]")
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
