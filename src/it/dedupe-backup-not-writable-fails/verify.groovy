def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
def expected = ":dedupe (dedupe) on project dedupe-backup-not-writable-fails: " + "Parameter 'backupDirectory': cannot write to ${base}/pom.xml/backups (FileSystemException: ${base}/pom.xml/backups: Not a directory). apply=true writes a backup before deleting anything; make the directory writable or choose another one. Nothing was deleted. -> [Help 1]"
assert log.contains(expected) : 'exact failure message'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
