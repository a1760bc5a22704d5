import groovy.json.JsonSlurper

def key = 'It-Signing-K\u00e9y-2f9c1d7e5a3b8c4d6e0f1a2b3c4d5e6f'
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('[INFO] BUILD SUCCESS')
assert log =~ /\[INFO\] Checked 3 artifact\(s\) under \S+\/models: 0 problem\(s\), 3 signature\(s\) verified, 0 orphan sidecar\(s\) \(3 file\(s\), 2\.9 MiB hashed in [0-9]+\.[0-9]{3} s, [0-9]+\.[0-9] MiB\/s\)/
assert log.contains('[DEBUG]') : 'this IT runs with -X so the debug output is scanned too'

def reports = new File(basedir, 'target/migration-safety')
def json = new JsonSlurper().parse(new File(reports, 'sidecars-report.json'))
assert json.status == 'passed'
assert json.summary.artifacts == 3
assert json.summary.signaturesVerified == 3
assert json.summary.signing == 'required'
assert json.summary.bytesHashed == 3000014
assert json.summary.filesHashed == 3
assert json.summary.hashingNanos > 0 && json.summary.hashingNanos <= (json.durationMillis + 1) * 1000000L
// the rate is the hashed bytes over that window (rounded to 0.1 MiB/s in the report)
def rate = 3000014d / 1048576d / (json.summary.hashingNanos / 1e9d)
assert Math.abs(json.summary.hashingMiBPerSecond - rate) <= 0.051 : "${json.summary.hashingMiBPerSecond} vs $rate"
def junit = new groovy.xml.XmlSlurper().parse(new File(reports, 'TEST-migration-safety-sidecars.xml'))
assert junit.testcase*.@name*.toString() == ['churn/v3/model.pkl', 'empty/v1/model.bin', 'ranker/v7/model.onnx']
assert junit.@failures == '0'

// the key must not appear anywhere: build log (with -X), reports, anything under target
def leaks = [new File(basedir, 'build.log')] + new File(basedir, 'target').listFiles().toList().collectMany { f ->
    f.isDirectory() ? f.listFiles().toList() : [f] }.findAll { it.isFile() }
leaks.each { f ->
    def text = f.getText('UTF-8')
    assert !text.contains(key) : "signing key leaked into $f"
    assert !text.contains('2f9c1d7e5a3b8c4d') : "part of the signing key leaked into $f"
}
true
