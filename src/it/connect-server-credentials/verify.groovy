// username and password come from the <server> in settings.xml; the password never shows
def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] Connected to H2 .* as APP; schema PUBLIC has 0 tables/
assert !log.contains('It-Server-Secret-4471')
new File(basedir, 'target/migration-safety').eachFile { assert !it.text.contains('It-Server-Secret-4471') }
