import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;

/**
 * The parity fixtures' logits on a device and precision, against transformers' float32 references: one JSON line per
 * fixture and precision with the largest absolute difference and whether every logit is finite. One JVM for all.
 *
 *   java -cp lib/target/langneurons.jar:CLASSES GpuParity DEVICE fp32,fp16 FIXTURE_DIR...
 */
public final class GpuParity {
    public static void main(String[] args) throws Exception {
        String device = args[0];
        for (String dtype : args[1].split(",")) {
            for (int a = 2; a < args.length; a++) {
                Path dir = Path.of(args[a]);
                JsonObject ref = JsonParser.parseString(Files.readString(dir.resolve("reference.json")))
                        .getAsJsonObject();
                double maxDiff = 0;
                double maxRef = 0;
                long count = 0;
                boolean finite = true;
                long start = System.nanoTime();
                try (LanguageModel model = LanguageModel.load(dir, LoadOptions.parse(device, dtype))) {
                    for (JsonElement s : ref.getAsJsonArray("sequences")) {
                        JsonArray ids = s.getAsJsonObject().getAsJsonArray("ids");
                        long[] seq = new long[ids.size()];
                        for (int i = 0; i < seq.length; i++) {
                            seq[i] = ids.get(i).getAsLong();
                        }
                        float[][] got = model.logits(seq)[0];
                        JsonArray want = s.getAsJsonObject().getAsJsonArray("logits");
                        if (want.get(0).getAsJsonArray().get(0).isJsonArray()) {
                            want = want.get(0).getAsJsonArray();      // [1][T][V]
                        }
                        for (int p = 0; p < got.length; p++) {
                            JsonArray row = want.get(p).getAsJsonArray();
                            for (int v = 0; v < got[p].length; v++) {
                                double w = row.get(v).getAsDouble();
                                finite &= Float.isFinite(got[p][v]);
                                maxDiff = Math.max(maxDiff, Math.abs(got[p][v] - w));
                                maxRef = Math.max(maxRef, Math.abs(w));
                                count++;
                            }
                        }
                    }
                }
                System.out.printf("{\"fixture\":\"%s\",\"device\":\"%s\",\"dtype\":\"%s\",\"logits\":%d,"
                        + "\"max_abs_diff\":%.3g,\"max_abs_logit\":%.4g,\"finite\":%b,\"seconds\":%.2f}%n",
                        dir.getFileName(), device, dtype, count, maxDiff, maxRef, finite,
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
