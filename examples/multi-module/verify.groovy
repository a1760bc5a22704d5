// Used by the plugin's own build (invoker execution `examples`) to keep this example working; your project
// does not need this file.
def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] model-service-db \.+ SUCCESS/
assert log =~ /\[INFO\] model-service-models \.+ SUCCESS/
assert log.findAll(/\[INFO\] Connected to H2 \S+ .* as SA; schema PUBLIC has 1 tables/).size() == 2
for (module in ['db', 'models']) {
    def reports = new File(basedir, "$module/target/migration-safety")
    assert new groovy.json.JsonSlurper().parse(new File(reports, 'connect-report.json')).status == 'passed'
    assert new File(reports, 'TEST-migration-safety-connect.xml').isFile()
    assert new File(reports, 'connect.sarif').isFile()
}
return true
