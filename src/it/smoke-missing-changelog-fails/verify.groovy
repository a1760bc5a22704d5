import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[ERROR\] Failed to execute goal .*:smoke \(smoke\) on project smoke-missing-changelog-fails: Parameter 'changeLogFile': db\/changelog\/db\.changelog-master\.yaml does not exist under \S+src\/main\/resources\. Give the master changelog relative to 'changeLogDirectory', e\.g\. db\/changelog\/db\.changelog-master\.yaml\./
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
