def log = new File(basedir, 'build.log').text
assert log =~ /Cannot reach the database at jdbc:postgresql:\/\/127\.0\.0\.1:1\/app: .*\. Check that the server is running and that host and port in 'url' are right\./
assert !log.contains('Unreachable-Secret-5')
assert !(log =~ /\tat [a-z]/)
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
