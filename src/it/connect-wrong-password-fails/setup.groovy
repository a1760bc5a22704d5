// create the database with user app and its real password, so the build's password is wrong
new File(basedir, 'target/db').mkdirs()
def url = "jdbc:h2:file:${new File(basedir, 'target/db/app').absolutePath};MODE=PostgreSQL"
def props = new Properties(); props.user = 'app'; props.password = 'Real-Password-1'
new org.h2.Driver().connect(url, props).close()
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
