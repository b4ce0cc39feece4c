import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;
import org.langneurons.neurons.ActProb;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.notebook.NeuronTables;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsDirectory;
import org.langneurons.stats.StatisticsSettings;

/**
 * Is Activation Probability 90p's selection more than noise on the embedded default? Both passes on two draws of the
 * halves (seeds 0 and 1) of Mondal et al.'s languages, with up to TOKENS tokens a pass (the default: all of each
 * half), and the Jaccard index of the two selections at three rates. By chance alone two draws of m of the 2,752
 * neurons share about m^2 / 2752. Public API only; tables are printed.
 *
 *   java -cp lib/target/langneurons.jar bench/ActProbStability.java [TOKENS]
 */
public class ActProbStability {
    public static void main(String[] args) throws Exception {
        long tokens = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        List<String> langs = List.of("en", "vi", "hi", "ur", "zh");
        LanguageModel model = LanguageModel.open("default", LoadOptions.parse("cpu", "fp32"));
        Map<String, List<String>> texts = Corpus.texts(null, langs, Split.IDENTIFICATION);
        Path tmp = Files.createTempDirectory("actprob-stability");
        List<LanguageStatistics> draws = new ArrayList<>();
        for (long seed : new long[] {0, 1}) {
            StatisticsSettings s = StatisticsSettings.builder().tokenBudget(tokens).maxLength(256).batchSize(16)
                    .percentiles(90).seed(seed).build();
            draws.add(StatisticsDirectory.at(tmp.resolve("seed" + seed)).collectRelevance(model, texts, s, 90,
                    StatisticsCollector.Progress.NONE));
        }
        draws.get(0).list().forEach(st -> System.out.println(st.language() + ": " + st.tokens() + " tokens, "
                + st.batches() + " batches a pass"));
        for (double rate : new double[] {ActProb.DEFAULT_RATE, 0.0125, 0.05}) {
            NeuronSet a = ActProb.select(draws.get(0).relevanceProbabilities(), 90, rate);
            NeuronSet b = ActProb.select(draws.get(1).relevanceProbabilities(), 90, rate);
            System.out.println("rate " + rate + "\n" + NeuronTables.compare(a, b).printAll());
        }
    }
}
