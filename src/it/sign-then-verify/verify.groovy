import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

def key = 'It-Signing-K\u00e9y-2f9c1d7e5a3b8c4d6e0f1a2b3c4d5e6f'
def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('[INFO] Updated churn/3/model_metadata.json: feature_list_checksum, artifact_sig')
assert log.contains('[INFO] Updated ranker/7/model_metadata.json: feature_list_checksum, artifact_sig')
assert log =~ /\[INFO\] Checked 2 artifact\(s\) under .*: 0 problem\(s\), 2 signature\(s\) verified, 0 orphan sidecar\(s\)/
assert log.contains('[INFO] BUILD SUCCESS')
def mac = Mac.getInstance('HmacSHA256'); mac.init(new SecretKeySpec(key.getBytes('UTF-8'), 'HmacSHA256'))
def sig = mac.doFinal('churn 3 bytes'.bytes).encodeHex().toString()
// Python's checksum of ["age", "r\u00e9gion"]; every other byte of the file is as the service wrote it
assert new File(basedir, 'models/churn/3/model_metadata.json').getText('UTF-8') == """{
  "name": "churn",
  "version": "3",
  "feature_list": [
    "age",
    "r\\u00e9gion"
  ],
  "feature_list_checksum": "1f87edd8ed94843b374ab7741e35d6a4fd4dbcab8f46de6e9f4329ca03540a25",
  "artifact_sig": "$sig",
  "mlflow_run_id": null,
  "metrics": {"auc": 0.91, "lr": 1e-05}
}
"""
([new File(basedir, 'build.log')] + new File(basedir, 'target/migration-safety').listFiles().toList()).each { f ->
    assert !f.getText('UTF-8').contains(key) : "signing key leaked into $f"
    assert !f.getText('UTF-8').contains('2f9c1d7e5a3b8c4d') : "part of the signing key leaked into $f"
}
true
