package org.langneurons.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transformers 5 saves {@code rope_theta} and the RoPE scaling inside {@code rope_parameters}: the Llama 3.1 fixture
 * rewritten that way must load as the same model (theta 500000 and llama3 scaling, not the 10000 default).
 */
class RopeParametersConfigTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/llama31-bf16-sharded");

    @Test
    void ropeParametersGiveTheSameModelAsTopLevelFields(@TempDir Path dir) throws IOException {
        try (Stream<Path> files = Files.list(FIXTURE)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        JsonObject c = JsonParser.parseString(Files.readString(FIXTURE.resolve("config.json"))).getAsJsonObject();
        JsonObject params = c.remove("rope_scaling").getAsJsonObject().deepCopy();
        params.add("rope_theta", c.remove("rope_theta"));
        c.add("rope_parameters", params);
        Files.writeString(dir.resolve("config.json"), c.toString());

        ModelConfig v5 = ModelConfig.read(dir);
        ModelConfig v4 = ModelConfig.read(FIXTURE);
        assertEquals(500000.0, v5.ropeTheta());
        assertEquals(v4.ropeScaling(), v5.ropeScaling());
        long[] ids = {1, 7, 3, 9, 11, 4};
        try (LanguageModel a = LanguageModel.load(FIXTURE); LanguageModel b = LanguageModel.load(dir)) {
            float[][][] la = a.logits(ids);
            float[][][] lb = b.logits(ids);
            for (int p = 0; p < ids.length; p++) {
                assertArrayEquals(la[0][p], lb[0][p]);
            }
        }
    }
}
