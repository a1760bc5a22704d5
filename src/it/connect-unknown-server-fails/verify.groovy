def log = new File(basedir, 'build.log').text
assert log.contains("Parameter 'serverId': settings.xml has no <server> with id 'prod-db'. Known server ids: it-h2. Add a <server> with this id to ~/.m2/settings.xml or fix 'serverId'.")
assert !log.contains('It-Server-Secret-4471')
assert !(log =~ /\tat [a-z]/)
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
