// Sidecars as the Python service writes them (json.dump indent=2, ensure_ascii), signed with the IT key.
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

def key = 'It-Signing-K\u00e9y-2f9c1d7e5a3b8c4d6e0f1a2b3c4d5e6f'
def hmac = { byte[] data ->
    def mac = Mac.getInstance('HmacSHA256'); mac.init(new SecretKeySpec(key.getBytes('UTF-8'), 'HmacSHA256'))
    mac.doFinal(data).encodeHex().toString()
}
def model = { String path, String name, String version, byte[] bytes ->
    def artifact = new File(basedir, "models/$path"); artifact.parentFile.mkdirs(); artifact.bytes = bytes
    // checksum of ["age", "r\u00e9gion"] as computed by Python (src/test/resources/sidecar-vectors/sidecar-files.json)
    new File(artifact.parentFile, artifact.name.replaceFirst(/\.[^.]+$/, '') + '_metadata.json').setText("""{
  "name": "$name",
  "version": "$version",
  "notes": "caf\\u00e9",
  "feature_list": [
    "age",
    "r\\u00e9gion"
  ],
  "feature_list_checksum": "1f87edd8ed94843b374ab7741e35d6a4fd4dbcab8f46de6e9f4329ca03540a25",
  "artifact_sig": "${hmac(bytes)}"
}""", 'UTF-8')
}
model('churn/v3/model.pkl', 'churn', '3', 'churn model v3'.getBytes('UTF-8'))
model('ranker/v7/model.onnx', 'ranker', '7', (0..<3000000).collect { (byte) (it % 251) } as byte[])
model('empty/v1/model.bin', 'empty', '1', new byte[0])
true
