import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.eval.PerplexityEvaluation;
import org.langneurons.eval.RandomControl;
import org.langneurons.intervention.InterventionValue;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.ActivationStatistics;
import org.langneurons.stats.LanguageStatistics;
import org.langneurons.stats.StatisticsCollector;
import org.langneurons.stats.StatisticsSettings;

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
        try (LanguageModel model = LanguageModel.open(dir, LoadOptions.defaults())) {
            long t0 = System.nanoTime();
            var settings = StatisticsSettings.builder().tokenBudget(100_000).maxLength(256).batchSize(16)
                    .percentiles().build();
            List<ActivationStatistics> stats = new ArrayList<>();
            for (String lang : langs) {
                stats.add(StatisticsCollector.collect(model, lang, corpus.documents(lang, Split.IDENTIFICATION),
                        settings, null, StatisticsCollector.Progress.NONE));
            }
            LanguageStatistics all = LanguageStatistics.of(stats);
            System.out.printf("statistics: %,d tokens in %.1f s%n", all.tokens(), (System.nanoTime() - t0) / 1e9);
            NeuronSet lape = Lape.tang(all.activationProbabilities(), new Lape.Settings(rate, 0.95, 0.95));
            System.out.println(lape);
            StringBuilder layers = new StringBuilder("per layer:");
            for (int l = 0; l < lape.layers(); l++) {
                layers.append(' ').append(lape.unionOfLanguages(l).length);
            }
            System.out.println(layers);
            Map<String, List<String>> texts = LanguageQuality.firstCharacters(
                    Corpus.texts(null, langs, Split.VALIDATION), chars);
            t0 = System.nanoTime();
            PerplexityEvaluation evaluation = PerplexityEvaluation.prepare(model, texts, 256, 16);
            PerplexityChange m = evaluation.deactivation(lape, PerplexityChange.Progress.NONE);
            System.out.printf("PPL change matrix in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            RandomControl control = evaluation.randomControl(lape, InterventionValue.ZERO, null, draws,
                    PerplexityChange.Progress.NONE);
            double[] own = m.ownMinusOthers();
            System.out.println("lang neurons  base PPL   own change  others' mean   random own (95% CI)");
            for (int i = 0; i < langs.size(); i++) {
                double others = m.ppxc()[i][i] - own[i];
                System.out.printf("%-4s %7d %9.2f %+12.3f %+13.3f   %+.3f [%+.3f, %+.3f]%n", langs.get(i),
                        lape.count(langs.get(i)), m.baselinePerplexity()[i], m.ppxc()[i][i], others,
                        control.own()[i], control.low()[i], control.high()[i]);
            }
            int randomOwn = 0;
            for (PerplexityChange r : control.matrices()) {
                randomOwn += r.languagesHurtMostThemselves();
            }
            System.out.printf("own language hurt more than the others' mean: LAPE %d of %d, random %.1f of %d "
                    + "(mean of %d draws); own change above the random 95%% CI: %d of %d%n",
                    m.languagesHurtMostThemselves(), langs.size(), randomOwn / (double) draws, langs.size(), draws,
                    control.aboveInterval(m), langs.size());
        }
    }
}
