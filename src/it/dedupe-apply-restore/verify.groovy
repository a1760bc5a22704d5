def log = new File(basedir, 'build.log').text
def backups = new File(basedir, 'target/migration-safety/backups').listFiles()
assert backups.length == 1
def backup = backups[0]
assert log.contains("[INFO] dedupe: deleted 3 rows of 2 duplicate groups from PUBLIC.MODEL_METADATA; backup: ${backup}")
assert log.contains("[INFO] No duplicates in PUBLIC.MODEL_METADATA(NAME, VERSION).") : 'the second dedupe finds nothing'
assert log.contains("[INFO] Restored 3 row(s) into PUBLIC.MODEL_METADATA, skipped 0 already present from ${backup}")
assert log.contains("[INFO] Restored 0 row(s) into PUBLIC.MODEL_METADATA, skipped 3 already present from ${backup}")
def manifest = new groovy.json.JsonSlurper().parse(new File(backup, 'manifest.json'))
assert manifest.status == 'complete'
assert manifest.rowCount == 3
assert manifest.keyColumns == ['NAME', 'VERSION']
assert manifest.keepRule == 'lowest-id'
assert manifest.columns*.name == ['ID', 'NAME', 'VERSION', 'CREATED_AT', 'PAYLOAD']
assert manifest.sha256 == java.security.MessageDigest.getInstance('SHA-256').digest(new File(backup, 'rows.csv').bytes).encodeHex().toString()
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'restore brought back the original rows'
