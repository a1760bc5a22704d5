// a smoke report as the smoke goal would write it; the fingerprint is computed independently of the plugin
import io.github.migrationsafety.testsupport.ItFixture
import java.time.Duration
import java.time.Instant

ItFixture.writeSmokeReport(basedir, 'passed', 'it:gate-changelog-edited-fails', Instant.now(), '0' * 64)
// checksums of every input file, for the "nothing changed" check in verify.groovy
ItFixture.recordFiles(basedir)
true
