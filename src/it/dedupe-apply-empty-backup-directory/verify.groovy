// "apply=true with failOnDuplicates=false and no backup directory": an empty <backupDirectory/> cannot switch the
// backup off; Maven uses the default directory and apply writes a complete, verifiable backup before deleting.
def log = new File(basedir, 'build.log').text
def backups = new File(basedir, 'target/migration-safety/backups')
def backup = backups.listFiles().toList()
assert backup.size() == 1
assert log.contains("[INFO] dedupe: deleted 3 rows of 2 duplicate groups from PUBLIC.MODEL_METADATA; backup: ${backup[0]}")
def manifest = new groovy.json.JsonSlurper().parse(new File(backup[0], 'manifest.json'))
assert manifest.status == 'complete'
def actual = java.security.MessageDigest.getInstance('SHA-256').digest(new File(backup[0], 'rows.csv').bytes).encodeHex().toString()
assert actual == manifest.sha256 : 'the backup verifies'
assert new File(backup[0], 'rows.csv').readLines().size() == 4 : 'header + the 3 deleted rows'
assert io.github.migrationsafety.testsupport.ItFixture.rows(basedir).size() == 3
true
