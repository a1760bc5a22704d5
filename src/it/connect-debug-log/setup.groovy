// three databases whose user 'app' has a different password each: from the environment (passwordEnv), from the
// <server> it-h2 of src/it/settings.xml (serverId) and from -Dmigration-safety.password
new File(basedir, 'target/db').mkdirs()
[app: 'Debug-Password-7731', server: 'It-Server-Secret-4471', cli: 'Cli-Password-5820'].each { name, password ->
    def url = "jdbc:h2:file:${new File(basedir, "target/db/$name").absolutePath};MODE=PostgreSQL"
    def props = new Properties(); props.user = 'app'; props.password = password
    new org.h2.Driver().connect(url, props).close()
}
return true
