def log = new File(basedir, 'build.log').text
def backup = new File(basedir, 'target/migration-safety/backups').listFiles()[0]
def manifest = new groovy.json.JsonSlurper().parse(new File(backup, 'manifest.json'))
def actual = java.security.MessageDigest.getInstance('SHA-256').digest(new File(backup, 'rows.csv').bytes).encodeHex().toString()
assert log.contains(":restore (default-cli) on project restore-truncated-backup-fails: " + "Backup file ${backup}/rows.csv has SHA-256 ${actual} but its manifest says ${manifest.sha256}: the file was truncated or edited after the backup was written. Nothing was restored; restore from an intact copy of the backup. -> [Help 1]")
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
