// writes a smoke report as the smoke goal would, with the fingerprint computed independently of the plugin:
// SHA-256 over, per changelog file in path order, the relative path, a zero byte and the SHA-256 of its bytes
import java.security.MessageDigest
def rel = 'db/changelog/db.changelog-master.yaml'
def file = new File(basedir, 'src/main/resources/' + rel)
def digest = MessageDigest.getInstance('SHA-256')
digest.update(rel.getBytes('UTF-8'))
digest.update((byte) 0)
digest.update(MessageDigest.getInstance('SHA-256').digest(file.bytes))
def fingerprint = digest.digest().encodeHex().toString()
def report = [goal: 'smoke', status: 'passed', startedAt: java.time.Instant.now().minus(java.time.Duration.ofHours(49)).toString(), durationMillis: 1000,
    summary: [project: 'it:gate-stale-report-fails', changeLogFile: rel, fingerprint: fingerprint, dialect: 'postgresql'],
    findings: [], checks: []]
def dir = new File(basedir, 'target/migration-safety')
dir.mkdirs()
new File(dir, 'smoke-report.json').text = groovy.json.JsonOutput.toJson(report)
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
