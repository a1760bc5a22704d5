import groovy.json.JsonSlurper
import java.util.regex.Pattern

// One Flyway migration per smoke.impact.* rule that a SQL migration can draw on PostgreSQL. V1 (released, listed in
// releasedChecksums) creates account and booking with 5000 rows each; V2 to V16 are pending, and each draws exactly
// its rule, plus smoke.impact.no-lock-timeout wherever it takes a lock that blocks writes (all but V14).
//
// Not drawn here:
// - smoke.impact.concurrently-in-transaction is judged on a Liquibase changeset's SQL and its runInTransaction
//   (ConcurrentlyInTransaction returns nothing without a changeset). Flyway decides by itself: a migration with
//   CONCURRENTLY runs outside a transaction, and one that mixes it with transactional statements is refused by Flyway
//   (unless 'mixed'), which fails the migration as smoke.changeset-failed, not as this rule.
// - smoke.impact.lock-held-across-changes needs a trace of two changes or more in one transaction; a Flyway migration
//   is traced as one change (ImpactTracer.beforeMigration/afterMigration), its statements are not told apart.
// - smoke.impact.invalid-index is meant for a failed concurrent build; a failed build fails its migration and Flyway
//   stops there, so it cannot sit beside the other rules here: FlywaySmokeTest
//   (aConcurrentBuildThatFailedLeavesAnInvalidIndexToDrop) draws it, beside smoke.changeset-failed. (CREATE INDEX ... ON ONLY a partitioned table, the first step of the hint
//   smoke.impact.index-not-concurrent gives for partitioned tables, leaves an INVALID index by design; it draws neither
//   rule: ImpactRulesTest, changeset partitioned-index-parent-only.)

def log = new File(basedir, 'build.log').getText('UTF-8')
def NLT = 'smoke.impact.no-lock-timeout'
def q = { String text -> Pattern.quote(text) }
// the lock a finding names, and how long it was held here: a figure that depends on the machine, so any
def held = { String mode, String blocks -> q(" (${mode}, blocks ${blocks}, held ") + '\\d+' + q(' ms here)') }
def AEL = held('AccessExclusiveLock', 'reads and writes')
def SREL = held('ShareRowExclusiveLock', 'writes')
def SL = held('ShareLock', 'writes')

// migration file, the one rule it draws, the finding's whole message (a regex), and the lock and table of its
// smoke.impact.no-lock-timeout warning (none for V14: renaming an enum value locks no table)
def hazards = [
    ['V2__index_email.sql', 'smoke.impact.index-not-concurrent',
        q('builds index ix_account_email on existing table account without CONCURRENTLY') + SL
            + q(': writes to account wait for the whole build'),
        'ShareLock', 'account'],
    ['V3__unique_email.sql', 'smoke.impact.unique-constraint-lock',
        q('adds a unique constraint on account(email) and builds its index under AccessExclusiveLock') + AEL
            + q(': reads and writes of account stop for the whole build'),
        'AccessExclusiveLock', 'account'],
    ['V4__exclude_double_booking.sql', 'smoke.impact.exclusion-constraint',
        q('adds exclusion constraint ex_booking_room on booking and builds its index under AccessExclusiveLock') + AEL
            + q(': reads and writes of booking stop for the whole build'),
        'AccessExclusiveLock', 'booking'],
    ['V5__email_not_null.sql', 'smoke.impact.not-null-scan',
        q('sets account.email NOT NULL by reading every row') + AEL,
        'AccessExclusiveLock', 'account'],
    ['V6__fk_booking_account.sql', 'smoke.impact.constraint-validated',
        q('adds foreign key fk_booking_account on booking and validates it in the same transaction') + SREL
            + q(', reading every row'),
        'ShareRowExclusiveLock', 'booking'],
    ['V7__check_score.sql', 'smoke.impact.check-validated',
        q('adds check constraint ck_account_score CHECK ((score > 0)) on account and validates it at once') + AEL
            + q(': every row is read while reads and writes of account wait'),
        'AccessExclusiveLock', 'account'],
    ['V8__fk_booking_payer.sql', 'smoke.impact.foreign-key-without-index',
        q('adds foreign key fk_booking_payer on booking(payer_id) with no index on those columns: every delete from'
            + ' account (and every change of its key) reads the whole of booking'),
        'ShareRowExclusiveLock', 'booking'],
    ['V9__balance_bigint.sql', 'smoke.impact.type-change-rewrite',
        q('changes account.balance from integer to bigint, which rewrites the whole table') + AEL,
        'AccessExclusiveLock', 'account'],
    ['V10__jitter_default.sql', 'smoke.impact.volatile-default-rewrite',
        q('adds column jitter to account whose default (random()) is computed per row, which rewrites the whole'
            + ' table') + AEL,
        'AccessExclusiveLock', 'account'],
    ['V11__score_doubled.sql', 'smoke.impact.generated-column-rewrite',
        q('adds a stored generated column score_doubled to account, computed for every row, which rewrites the'
            + ' whole table') + AEL,
        'AccessExclusiveLock', 'account'],
    ['V12__cluster_booking.sql', 'smoke.impact.rewrite',
        q('rewrites the whole table booking') + AEL,
        'AccessExclusiveLock', 'booking'],
    ['V13__drop_legacy_code.sql', 'smoke.impact.breaking-rename-or-drop',
        q('drops column account.legacy_code: the application version still running during a rolling deploy uses the'
            + ' old name'),
        'AccessExclusiveLock', 'account'],
    ['V14__rename_mood_value.sql', 'smoke.impact.enum-value-renamed',
        q("renames value 'sad' of enum mood to 'unhappy', used by account.feeling: the application version still"
            + ' running during a rolling deploy writes and reads the old value'),
        null, null],
    ['V15__drop_region_index.sql', 'smoke.impact.drop-index-not-concurrent',
        q('drops index ix_account_region of account without CONCURRENTLY') + AEL
            + q(': it waits for every query on account, and reads and writes queue behind it'),
        'AccessExclusiveLock', 'account'],
    ['V16__reindex_booking_account.sql', 'smoke.impact.reindex-not-concurrent',
        q('rebuilds index ix_booking_account of booking without CONCURRENTLY') + SL
            + q(': writes to booking wait for the whole build'),
        'ShareLock', 'booking'],
]

assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.migrationSource == 'flyway'
assert json.summary.impactJudgedBy == 'releasedChecksums'
assert json.summary.changesets*.postgresql*.status.every { it == 'passed' }
assert json.summary.changesets.size() == 16

hazards.each { file, rule, message, lockMode, table ->
    def path = "db/migration/${file}"
    // the console line: severity, migration, message, file:line, the rule id in brackets, the fix
    assert log =~ ("(?m)^" + q("[WARNING] ${path}: ") + message + q(" [${path}:1] [${rule}] Fix: ") + '.+$') :
            "no console warning ${rule} on ${path}"
    // the report entry
    def finding = json.findings.find { it.rule == rule && it.file == path }
    assert finding != null : "no ${rule} finding on ${path} in the report"
    assert finding.subject == path
    assert finding.line == 1
    assert finding.severity == 'warning'
    assert finding.message ==~ message
    assert finding.hint
    // exactly this rule, and the lock_timeout warning where a lock blocks writes
    def expected = lockMode == null ? [rule] : [rule, NLT].sort()
    assert json.findings.findAll { it.file == path }*.rule.sort() == expected : path
    if (lockMode != null) {
        def who = lockMode == 'AccessExclusiveLock' ? 'read and write' : 'write'
        def nlt = "takes ${lockMode} on ${table} with no lock_timeout: behind a long transaction it waits, and every" +
                " ${who} of ${table} queues behind it"
        assert log.contains("[WARNING] ${path}: ${nlt} [${path}:1] [${NLT}] Fix: make the migration's first statement" +
                " SET LOCAL lock_timeout = '5s' and retry the migration when it times out\n")
        def timeout = json.findings.find { it.rule == NLT && it.file == path }
        assert timeout.line == 1 && timeout.subject == path && timeout.message == nlt.toString()
    }
}

// the released migration is not judged: no impact finding on V1; H2 stops at its first PostgreSQL-only statement
def v1 = 'db/migration/V1__create_schema.sql'
assert !json.findings.any { it.file == v1 && it.rule.startsWith('smoke.impact.') }
def insert = new File(basedir, "src/main/resources/${v1}").readLines().findIndexOf { it.startsWith('INSERT INTO account') } + 1
assert log =~ ("(?m)^" + q("[WARNING] ${v1}: fails on H2 but passes on PostgreSQL: Column \"g\" not found; SQL statement: INSERT INTO account ")
        + '.*' + q("(line ${insert}) [${v1}:${insert}] [smoke.h2-only-failure] Fix: PostgreSQL is the real target; H2 stops Flyway at"
        + ' this migration, so the migrations after it were checked on PostgreSQL only') + '$')
def h2 = json.findings.find { it.rule == 'smoke.h2-only-failure' }
assert h2.file == v1 && h2.line == insert && h2.severity == 'warning'
assert json.summary.changesets*.h2*.status == ['failed'] + ['skipped'] * 15

// every finding is one of those above
assert json.findings.size() == 1 + hazards.size() * 2 - 1
assert json.findings.every { it.severity == 'warning' }

assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
true
