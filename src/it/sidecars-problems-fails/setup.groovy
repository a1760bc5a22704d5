import java.nio.file.Files
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

def key = 'It-Signing-K\u00e9y-2f9c1d7e5a3b8c4d6e0f1a2b3c4d5e6f'
def hmac = { byte[] data ->
    def mac = Mac.getInstance('HmacSHA256'); mac.init(new SecretKeySpec(key.getBytes('UTF-8'), 'HmacSHA256'))
    mac.doFinal(data).encodeHex().toString()
}
def sidecarOf = { File artifact -> new File(artifact.parentFile, artifact.name.replaceFirst(/\.[^.]+$/, '') + '_metadata.json') }
def model = { String path, String features, byte[] bytes ->
    def artifact = new File(basedir, "models/$path"); artifact.parentFile.mkdirs(); artifact.bytes = bytes
    sidecarOf(artifact).setText("""{
  "name": "${artifact.parentFile.name}",
  "version": "1",
  "feature_list": $features,
  "feature_list_checksum": "1f87edd8ed94843b374ab7741e35d6a4fd4dbcab8f46de6e9f4329ca03540a25",
  "artifact_sig": "${hmac(bytes)}"
}""", 'UTF-8')
    artifact
}
def python = '["age", "r\\u00e9gion"]'
model('ok/model.pkl', python, 'fine'.bytes)
model('tampered/model.pkl', python, 'original'.bytes).bytes = 'tampered'.bytes
model('reordered/model.pkl', '["r\\u00e9gion", "age"]', 'r'.bytes)
def noSidecar = new File(basedir, 'models/nosidecar/model.joblib'); noSidecar.parentFile.mkdirs(); noSidecar.bytes = [1] as byte[]
def orphan = new File(basedir, 'models/retired/old_metadata.json'); orphan.parentFile.mkdirs(); orphan.text = '{}'
def broken = new File(basedir, 'models/broken/model.pt'); broken.parentFile.mkdirs(); broken.bytes = [2] as byte[]
sidecarOf(broken).text = '{\n  "name": "broken",\n  "feature_list": ["a",]\n}\n'
def outside = new File(basedir, 'outside/secret.pkl'); outside.parentFile.mkdirs(); outside.text = 'not a model'
Files.createSymbolicLink(new File(basedir, 'models/escape.pkl').toPath(), outside.toPath())
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
