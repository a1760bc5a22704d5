def log = new File(basedir, 'build.log').text
assert log =~ /\[ERROR\] Failed to execute goal .*:connect \(connect\) on project connect-wrong-password-fails: The database refused the login as user 'app' at jdbc:h2:file:.*: wrong user name or password\. Check 'username' and the password source \('password', 'passwordEnv' or the <server> named by 'serverId'\)\./
assert !log.contains('Wrong-Password-9913')
assert !log.contains('Real-Password-1')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
