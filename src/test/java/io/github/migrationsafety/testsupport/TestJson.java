package io.github.migrationsafety.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Jackson's data binding, for tests that read reports and vectors as trees; the plugin itself does not use it. */
public final class TestJson {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TestJson() {}
}
