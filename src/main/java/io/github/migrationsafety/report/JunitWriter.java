package io.github.migrationsafety.report;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A {@link GoalReport} as JUnit XML ({@code TEST-migration-safety-<goal>.xml}), for CI test views. Apart from
 * {@link ReportWriter}, which decides where each format goes, as {@link SarifWriter} is.
 */
final class JunitWriter {

    private JunitWriter() {}

    /**
     * One testsuite; one testcase per {@link Check}, and one per error finding that no failed check already
     * shows (a finding about an orphan file or a database row, not about an artifact that has its own
     * testcase), so a CI test view lists every violation once.
     */
    static String junit(GoalReport report) throws IOException {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            Set<String> failedChecks = report.checks().stream()
                    .filter(c -> c.outcome() == Check.Outcome.FAILED)
                    .map(Check::name)
                    .collect(Collectors.toSet());
            List<Finding> ownTestcases = report.errors().stream()
                    .filter(finding -> !failedChecks.contains(finding.subject()))
                    .toList();
            long failures = failedChecks.size() + ownTestcases.size();
            List<Finding> suppressed = report.suppressed();
            long skipped = report.checks().stream()
                            .filter(c -> c.outcome() == Check.Outcome.SKIPPED)
                            .count()
                    + suppressed.size();
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "migration-safety." + report.goal());
            xml.writeAttribute(
                    "tests", Long.toString(report.checks().size() + ownTestcases.size() + suppressed.size()));
            xml.writeAttribute("failures", Long.toString(failures));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", Long.toString(skipped));
            xml.writeAttribute("time", seconds(report.duration()));
            xml.writeAttribute("timestamp", report.startedAt().toString());
            for (Check check : report.checks()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "migration-safety." + report.goal() + "." + check.group());
                xml.writeAttribute("name", xmlSafe(check.name()));
                xml.writeAttribute("time", seconds(check.time()));
                if (check.outcome() == Check.Outcome.FAILED) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", xmlSafe(firstLine(check.detail())));
                    xml.writeCharacters(xmlSafe(String.valueOf(check.detail())));
                    xml.writeEndElement();
                } else if (check.outcome() == Check.Outcome.SKIPPED) {
                    xml.writeStartElement("skipped");
                    xml.writeAttribute("message", xmlSafe(String.valueOf(check.detail())));
                    xml.writeEndElement();
                } else if (check.detail() != null) {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(xmlSafe(check.detail()));
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            for (Finding finding : ownTestcases) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "migration-safety." + report.goal() + "." + finding.rule());
                xml.writeAttribute("name", xmlSafe(finding.subject()));
                xml.writeAttribute("time", "0");
                xml.writeStartElement("failure");
                xml.writeAttribute("message", xmlSafe(finding.message()));
                xml.writeCharacters(xmlSafe(finding.describe()));
                xml.writeEndElement();
                xml.writeEndElement();
            }
            // a suppressed finding is a skipped testcase whose message is the reason: visible, never a failure
            for (Finding finding : suppressed) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "migration-safety." + report.goal() + "." + finding.rule());
                xml.writeAttribute("name", xmlSafe(finding.subject()));
                xml.writeAttribute("time", "0");
                xml.writeStartElement("skipped");
                xml.writeAttribute("message", xmlSafe(finding.suppression().describe()));
                xml.writeCharacters(xmlSafe(finding.describe()));
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("Cannot write JUnit XML for " + report.goal() + ": " + e.getMessage(), e);
        }
        return out + "\n";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** XML 1.0 cannot carry most control characters, even escaped; show them as \\uXXXX. */
    private static String xmlSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0xFFFE || c == 0xFFFF) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
