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
import org.langneurons.neurons.RandomNeurons;
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
        int draws = args.length > 3 ? Integer.parseInt(args[3]) : RandomControl.DEFAULT_DRAWS;
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
            System.out.println("lang neurons  base PPL   own PPL   own CE  others' CE   random CE [2.5%, 97.5%]"
                    + "   rank      p");
            for (int i = 0; i < langs.size(); i++) {
                double ce = m.crossEntropyChange()[i][i];
                System.out.printf("%-4s %7d %9.2f %+9.3f %+8.4f %+11.4f   [%+.4f, %+.4f] %5.1f%% %6.3f%n",
                        langs.get(i), lape.count(langs.get(i)), m.baselinePerplexity()[i], m.ppxc()[i][i], ce,
                        ce - own[i], control.quantile(i, 2.5), control.quantile(i, 97.5),
                        control.percentileRank(m, i), control.pValue(m, i));
            }
            // "hurt most" needs whole matrices: three random draws are enough to show the chance level
            int randomOwn = 0;
            for (int d = 1; d <= 3; d++) {
                randomOwn += evaluation.deactivation(RandomNeurons.matching(lape, d), PerplexityChange.Progress.NONE)
                        .languagesHurtMostThemselves();
            }
            System.out.printf("own language hurt more than the others' mean (cross-entropy): LAPE %d of %d, random "
                    + "%.1f of %d (mean of 3 draws); own change with empirical p <= 0.05 against %d draws: %d of %d%n",
                    m.languagesHurtMostThemselves(), langs.size(), randomOwn / 3.0, langs.size(), draws,
                    control.significant(m, 0.05), langs.size());
        }
    }
}
