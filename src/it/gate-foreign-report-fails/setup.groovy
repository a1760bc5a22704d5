// a smoke report as the smoke goal would write it; the fingerprint is computed independently of the plugin
import io.github.migrationsafety.testsupport.ItFixture
import java.time.Duration
import java.time.Instant

ItFixture.writeSmokeReport(basedir, 'passed', 'com.example:billing', Instant.now(), ItFixture.changelogFingerprint(basedir))
// checksums of every input file, for the "nothing changed" check in verify.groovy
ItFixture.recordFiles(basedir)
true
