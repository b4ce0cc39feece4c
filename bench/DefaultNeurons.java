import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.hooks.HookHandle;
import org.langneurons.intervention.Intervention;
import org.langneurons.model.LanguageModel;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.neurons.RandomNeurons;
import org.langneurons.stats.ActivationCounts;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.StatisticsCollector;

/**
 * How language-specific the embedded default model's neurons are (the check of the default-model issue): LAPE on the
 * identification sets of all 16 languages, then, for each language, its neurons switched off (Tang et al.) and the
 * change of every language's perplexity on validation text; the same with as many random neurons per layer.
 * Public API only; figures are printed.
 *
 *   java -cp lib/target/langneurons.jar bench/DefaultNeurons.java [MODEL_DIR|default] [top-rate] [chars]
 */
public class DefaultNeurons {
    public static void main(String[] args) {
        String dir = args.length > 0 ? args[0] : "default";
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
        int chars = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
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
            NeuronSet random = RandomNeurons.matching(lape, 7);
            report("LAPE", model, corpus, langs, lape, chars);
            report("random (same count per layer)", model, corpus, langs, random, chars);
        }
    }

    static void report(String what, LanguageModel model, Corpus corpus, List<String> langs, NeuronSet set,
            int chars) {
        List<List<String>> texts = new ArrayList<>();
        for (String lang : langs) {
            texts.add(LanguageQuality.firstCharacters(corpus.documents(lang, Split.VALIDATION), chars));
        }
        double[] base = new double[langs.size()];
        for (int j = 0; j < langs.size(); j++) {
            base[j] = model.perplexity(texts.get(j), 256, 16).perplexity();
        }
        int own = 0;
        System.out.println(what + ": PPL change, own language vs mean of the others");
        for (int i = 0; i < langs.size(); i++) {
            HookHandle off = Intervention.set(set, langs.get(i), 0f).apply(model);
            double ownChange = 0, others = 0;
            for (int j = 0; j < langs.size(); j++) {
                double change = model.perplexity(texts.get(j), 256, 16).perplexity() - base[j];
                if (i == j) {
                    ownChange = change;
                } else {
                    others += change / (langs.size() - 1);
                }
            }
            off.close();
            if (ownChange > others) {
                own++;
            }
            System.out.printf("  %-3s %4d neurons  own %+9.3f  others %+8.3f  (base PPL %.2f)%n", langs.get(i),
                    set.count(langs.get(i)), ownChange, others, base[i]);
        }
        System.out.printf("  own language hurt more than the others' mean: %d of %d%n", own, langs.size());
    }
}
