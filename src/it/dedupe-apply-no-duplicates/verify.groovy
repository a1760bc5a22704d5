def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] dedupe: no duplicates in PUBLIC.MODEL_METADATA(NAME, VERSION); nothing to delete, no backup written')
assert log.contains('[INFO] BUILD SUCCESS')
assert new File(basedir, 'target/migration-safety/backups').list().length == 0 : 'no backup when nothing is deleted'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text
