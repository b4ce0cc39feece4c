import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.StatisticsCollector;

/**
 * How language-specific the embedded default model's neurons are (the check of the default-model issue): LAPE on the
 * identification sets of all 16 languages, then, for each language, its neurons switched off (Tang et al.) and the
 * change of every language's perplexity on validation text; the same with as many random neurons per layer.
 * Public API only; figures are printed.
 *
 *   java -cp lib/target/langneurons.jar bench/DefaultNeurons.java [MODEL_DIR|default] [top-rate] [chars] [draws]
 */
public class DefaultNeurons {
    public static void main(String[] args) {
        String dir = args.length > 0 ? args[0] : "default";
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
        int chars = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int draws = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Corpus corpus = Corpus.openDefault();
        List<String> langs = corpus.languages();
        try (LanguageModel model = dir.equals("default") ? LanguageModel.defaultModel()
                : LanguageModel.load(Path.of(dir))) {
            long t0 = System.nanoTime();
            List<ActivationCounts> counts = new ArrayList<>();
            var settings = StatisticsCollector.Settings.defaults().withTokenBudget(100_000).withMaxLength(256)
                    .withBatchSize(16).withPercentiles();
            long tokens = 0;
            for (String lang : langs) {
                ActivationStatistics s = StatisticsCollector.collect(model, lang,
                        corpus.documents(lang, Split.IDENTIFICATION), settings, null,
                        StatisticsCollector.Progress.NONE);
                tokens += s.tokens();
                counts.add(s.counts());
            }
            System.out.printf("statistics: %,d tokens in %.1f s%n", tokens, (System.nanoTime() - t0) / 1e9);
            NeuronSet lape = Lape.tang(ActivationCounts.probabilities(counts), langs,
                    new Lape.Settings(rate, 0.95, 0.95));
            System.out.println(lape);
            StringBuilder layers = new StringBuilder("per layer:");
            for (int l = 0; l < lape.layers(); l++) {
                layers.append(' ').append(lape.unionOfLanguages(l).length);
            }
            System.out.println(layers);
            Map<String, List<String>> texts = new LinkedHashMap<>();
            for (String lang : langs) {
                texts.put(lang, LanguageQuality.firstCharacters(corpus.documents(lang, Split.VALIDATION), chars));
            }
            t0 = System.nanoTime();
            PerplexityChange m = PerplexityChange.deactivation(model, lape, texts, 256, 16,
                    PerplexityChange.Progress.NONE);
            System.out.printf("PPL change matrix in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            PerplexityChange.Control control = PerplexityChange.randomControl(model, lape, texts,
                    (set, lang) -> Intervention.set(set, lang, 0f), draws, 256, 16, PerplexityChange.Progress.NONE,
                    "zero");
            double[] own = m.ownMinusOthers();
            System.out.println("lang neurons  base PPL   own change  others' mean   random own (95% CI)");
            for (int i = 0; i < langs.size(); i++) {
                double others = m.ppxc()[i][i] - own[i];
                System.out.printf("%-4s %7d %9.2f %+12.3f %+13.3f   %+.3f [%+.3f, %+.3f]%n", langs.get(i),
                        lape.count(langs.get(i)), m.baselinePerplexity()[i], m.ppxc()[i][i], others,
                        control.own()[i], control.low()[i], control.high()[i]);
            }
            int beyondRandom = 0;
            for (int i = 0; i < langs.size(); i++) {
                if (m.ppxc()[i][i] > control.high()[i]) {
                    beyondRandom++;
                }
            }
            int randomOwn = 0;
            for (PerplexityChange r : control.matrices()) {
                randomOwn += r.languagesHurtMostThemselves();
            }
            System.out.printf("own language hurt more than the others' mean: LAPE %d of %d, random %.1f of %d "
                    + "(mean of %d draws); own change above the random 95%% CI: %d of %d%n",
                    m.languagesHurtMostThemselves(), langs.size(), randomOwn / (double) draws, langs.size(), draws,
                    beyondRandom, langs.size());
        }
    }
}
