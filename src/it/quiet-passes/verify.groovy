def log = new File(basedir, 'build.log').text
def mavenLines = log.readLines().findAll { it.startsWith('[') }
assert mavenLines == [] : 'with -q a passing goal prints nothing'
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/migration-safety/dedupe-report.json'))
assert report.status == 'passed' : 'the goal ran (quietly) and wrote its report'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text
true
