// The application's database lists churn 1 and fraud 3; the models directory holds churn 1 and ranker 7.
new File(basedir, 'target/db').mkdirs()
def url = "jdbc:h2:file:${new File(basedir, 'target/db/app').absolutePath};MODE=PostgreSQL"
def props = new Properties(); props.user = 'app'; props.password = 'It-Db-Secret-5521'
def c = new org.h2.Driver().connect(url, props)
c.createStatement().execute("CREATE TABLE model_metadata (id INT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20))")
c.createStatement().execute("INSERT INTO model_metadata VALUES (1, 'churn', '1'), (2, 'churn', '1'), (3, 'fraud', '3')")
c.close()
[['churn/1/model.pkl', 'churn', '1'], ['ranker/7/model.onnx', 'ranker', '7']].each { path, name, version ->
    def artifact = new File(basedir, "models/$path"); artifact.parentFile.mkdirs(); artifact.bytes = [1, 2, 3] as byte[]
    new File(artifact.parentFile, 'model_metadata.json').text = """{"name": "$name", "version": "$version", "feature_list": ["age", "income", "zip_code", "num_purchases_30d"], "feature_list_checksum": "a9aaeaee936fa76cff310b14069bff969524a4b4626c57f2f5a6f69910dab4c8"}"""
}
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
