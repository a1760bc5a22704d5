def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
def mavenLines = log.readLines().findAll { it.startsWith('[') }
assert !mavenLines.any { it.startsWith('[INFO]') || it.startsWith('[WARNING]') } : 'with -q only errors are printed'
assert mavenLines.contains("[ERROR] Failed to execute goal io.github.migrationsafety:migration-safety-maven-plugin:0.1.0-SNAPSHOT:dedupe (dedupe) on project quiet-fails: " + "2 duplicate group(s) in PUBLIC.MODEL_METADATA(NAME, VERSION), 3 row(s) to delete (report ${base}/target/migration-safety/dedupe-report.csv). To delete them after a backup, run with -Dmigration-safety.apply=true - see ${base}/target/migration-safety/dedupe-report.json -> [Help 1]".toString())
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
