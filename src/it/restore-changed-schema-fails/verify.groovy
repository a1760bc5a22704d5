def log = new File(basedir, 'build.log').text
assert log.contains(":restore (default-cli) on project restore-changed-schema-fails: Cannot restore into PUBLIC.MODEL_METADATA: its columns changed since the backup was written:\n"
    + "[ERROR]  - PAYLOAD (CHARACTER VARYING) is in the backup but no longer in the table\n"
    + "[ERROR]  - OWNER (CHARACTER VARYING) is in the table but not in the backup\n"
    + "[ERROR] Restore into a table with the backup's columns (e.g. before the migration that changed them), then migrate. Nothing was restored.\n")
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
