def log = new File(basedir, 'build.log').text
assert log.contains(":connect (connect) on project connect-missing-driver-fails: No JDBC driver accepts the URL 'jdbc:oracle:thin:@db.example.com:1521/ORCL' (parameter 'url'). The plugin ships drivers for H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://host:port/database); for another database add its driver as a <dependency> of the plugin. -> [Help 1]")
assert !log.contains('Missing-Driver-Secret-7')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
