def log = new File(basedir, 'build.log').text
assert log.contains(":dedupe (dedupe) on project dedupe-apply-keys-from-changelog-fails: Parameters 'keysFromChangelog' and 'apply' conflict: apply deletes rows of one table and key set, while keysFromChangelog only reports. Run the dry-run with keysFromChangelog, then apply with 'table' and 'keyColumns' set to the key you reviewed. -> [Help 1]")
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
