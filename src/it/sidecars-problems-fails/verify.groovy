import groovy.json.JsonSlurper

def key = 'It-Signing-K\u00e9y-2f9c1d7e5a3b8c4d6e0f1a2b3c4d5e6f'
def log = new File(basedir, 'build.log').getText('UTF-8')
def models = new File(basedir, 'models').canonicalPath
def outside = new File(basedir, 'outside/secret.pkl').canonicalPath
def errors = log.readLines().findAll { it.startsWith('[ERROR] ') && !it.startsWith('[ERROR] Failed to execute') && it.length() > 10 && !it.contains('Help 1') && !it.contains('re-run Maven') && !it.contains('Re-run Maven') && !it.contains('please read') && !it.contains('stack trace') }
assert errors == [
    "[ERROR] escape.pkl: is a symbolic link to ${outside}, outside modelsDirectory ${models}; it was not read [sidecars.symlink-escape] Fix: Copy the file into modelsDirectory or remove the link; links may only point inside it.",
    "[ERROR] broken/model.pt: sidecar broken/model_metadata.json is not valid JSON at line 3, column 24: Unexpected character (']' (code 93)): expected a valid value (JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false') [${models}/broken/model_metadata.json:3] [sidecars.invalid-json] Fix: Fix the JSON syntax (python3 -m json.tool broken/model_metadata.json shows the same error).",
    "[ERROR] nosidecar/model.joblib: has no sidecar nosidecar/model_metadata.json [sidecars.sidecar-missing] Fix: Write the sidecar (the model service does, or mvn migration-safety:sign once it has a feature_list), or exclude the artifact with <excludes>.",
    "[ERROR] reordered/model.pkl: feature_list_checksum in reordered/model_metadata.json does not match its feature_list: the stored checksum matches the same names in a different order: feature_list was reordered after the checksum was computed (order matters to the model) (expected 26cd5d7f8d736c8f5f094e80e8bb2565f666f8cff6415192d63f78e2753f42c9, actual 1f87edd8ed94843b374ab7741e35d6a4fd4dbcab8f46de6e9f4329ca03540a25) [${models}/reordered/model_metadata.json] [sidecars.checksum-mismatch] Fix: If feature_list is right, recompute the checksum (mvn migration-safety:sign); otherwise restore the feature list the model was trained with.",
    "[ERROR] tampered/model.pkl: artifact_sig in tampered/model_metadata.json does not verify: the artifact's bytes changed since it was signed, the signature was edited, or MODEL_ARTIFACT_SIGNING_KEY holds a different key [sidecars.signature-mismatch] Fix: Restore the artifact that was signed, or re-sign it with mvn migration-safety:sign if the new bytes are trusted.",
    "[ERROR] retired/old_metadata.json: is a sidecar without an artifact: no file next to it matches the includes and has this base name [sidecars.orphan-sidecar] Fix: Delete the stale sidecar, restore its artifact, or widen <includes> if the artifact has another extension.",
]*.toString()
assert log.contains("on project sidecars-problems-fails: 6 sidecar problem(s) under ${models} - see ${basedir.canonicalPath}/target/migration-safety/sidecars-report.json")
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'

def reports = new File(basedir, 'target/migration-safety')
def json = new JsonSlurper().parse(new File(reports, 'sidecars-report.json'))
assert json.status == 'failed'
assert json.summary.signaturesVerified == 3
assert json.checks.collectEntries { [it.name, it.outcome] } == ['broken/model.pt': 'failed', 'nosidecar/model.joblib': 'failed',
    'ok/model.pkl': 'passed', 'reordered/model.pkl': 'failed', 'tampered/model.pkl': 'failed']
def junit = new groovy.xml.XmlSlurper().parse(new File(reports, 'TEST-migration-safety-sidecars.xml'))
assert junit.testcase.findAll { it.@classname == 'migration-safety.sidecars.artifacts' }.size() == 5
// one testcase per artifact, plus one each for the problems that have no artifact testcase (link, orphan)
assert junit.testcase*.@name*.toString() == ['broken/model.pt', 'nosidecar/model.joblib', 'ok/model.pkl',
    'reordered/model.pkl', 'tampered/model.pkl', 'escape.pkl', 'retired/old_metadata.json']
assert junit.@tests == '7'
assert junit.@failures == '6'

([new File(basedir, 'build.log')] + reports.listFiles().toList()).each { f ->
    assert !f.getText('UTF-8').contains(key) : "signing key leaked into $f"
    assert !f.getText('UTF-8').contains('2f9c1d7e5a3b8c4d') : "part of the signing key leaked into $f"
}
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
