def log = new File(basedir, 'build.log').text
assert log.contains("on project sidecars-dotdot-includes-fails: Parameter 'includes': pattern '../shared/**/*.pkl' contains a '..' segment. Patterns are relative to modelsDirectory and may not leave it; remove the '..' or point modelsDirectory higher up. -> [Help 1]")
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
