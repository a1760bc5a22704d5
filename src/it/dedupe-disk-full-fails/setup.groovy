// A real full disk: a 64 KiB tmpfs as the backup directory, and 2,000 duplicate rows whose backup needs ~250 KiB.
// Mounting needs root (or passwordless sudo, as on GitHub-hosted runners); see docs/reliability.md.
import io.github.migrationsafety.testsupport.ItFixture
def disk = new File(basedir, 'target/tiny-disk')
disk.mkdirs()
def mount = { List<String> cmd -> def p = cmd.execute(); p.waitForProcessOutput(new StringBuilder(), new StringBuilder()); p.exitValue() == 0 }
assert mount(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk.path]) || mount(['sudo', '-n', 'mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk.path]) : 'this IT needs to mount a 64 KiB tmpfs (root or passwordless sudo)'
ItFixture.emptyModels(basedir)
ItFixture.run(basedir, "INSERT INTO model_metadata SELECT x, 'churn', '1.0', NULL, REPEAT('p', 100) FROM SYSTEM_RANGE(1, 2000)")
new File(basedir, 'target/rows-before.txt').text = ItFixture.rows(basedir).join('\n')
true
