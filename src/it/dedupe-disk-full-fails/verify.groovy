def disk = new File(basedir, 'target/tiny-disk')
try {
    def log = new File(basedir, 'build.log').text
    def backups = new File(disk, 'backups')
    def partial = backups.listFiles().toList()
    assert partial.size() == 1 : 'the one backup directory the failed write started'
    assert !new File(partial[0], 'manifest.json').exists() : 'no manifest, so restore cannot mistake it for a complete backup'
    assert log.contains(":dedupe (dedupe) on project dedupe-disk-full-fails: Cannot write the backup ${partial[0]}: No space left on device. Nothing was deleted; check 'backupDirectory' (${backups}) is writable and has space. -> [Help 1]")
    assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
    def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
    assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
} finally {
    def p = ['umount', disk.path].execute(); p.waitFor()
    if (p.exitValue() != 0) { ['sudo', '-n', 'umount', disk.path].execute().waitFor() }
}
true
