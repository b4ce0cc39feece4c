import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langneurons.corpus.Corpus;
import org.langneurons.corpus.Split;
import org.langneurons.eval.LanguageQuality;
import org.langneurons.eval.PerplexityChange;
import org.langneurons.eval.PerplexityEvaluation;
import org.langneurons.model.LanguageModel;
import org.langneurons.model.LoadOptions;
import org.langneurons.neurons.Lape;
import org.langneurons.neurons.NeuronSet;
import org.langneurons.stats.StatisticsDirectory;

/**
 * How much validation text notebook 5's conclusions need: for each budget C, the deactivation matrix (LAPE of the
 * statistics in STATS_DIR, as notebook 5 selects them) on two disjoint halves of the validation text, the first C
 * characters' documents and the next C's, and how far the two agree: the own-language cross-entropy changes side by
 * side, their correlation, and the "own language hurt most" verdicts (cross-entropy) in each half.
 *
 *   java -cp lib/target/langneurons.jar bench/ValidationBudget.java STATS_DIR [budgets, e.g. 1000,2000,4000]
 */
public class ValidationBudget {
    public static void main(String[] args) {
        Path statsDir = Path.of(args[0]);
        String budgets = args.length > 1 ? args[1] : "1000,2000,4000";
        Corpus corpus = Corpus.openDefault();
        List<String> langs = corpus.languages();
        NeuronSet lape = Lape.tang(StatisticsDirectory.at(statsDir).load(langs).activationProbabilities(),
                Lape.Settings.defaults());
        try (LanguageModel model = LanguageModel.open("default", LoadOptions.defaults())) {
            for (String b : budgets.split(",")) {
                int chars = Integer.parseInt(b.strip());
                Map<String, List<String>> first = new LinkedHashMap<>(), second = new LinkedHashMap<>();
                for (String lang : langs) {
                    List<String> docs = corpus.documents(lang, Split.VALIDATION);
                    List<String> a = LanguageQuality.firstCharacters(docs, chars);
                    first.put(lang, a);
                    second.put(lang, LanguageQuality.firstCharacters(docs.subList(a.size(), docs.size()), chars));
                }
                long t0 = System.nanoTime();
                PerplexityChange ma = PerplexityEvaluation.prepare(model, first, 256, 16)
                        .deactivation(lape, PerplexityChange.Progress.NONE);
                PerplexityChange mb = PerplexityEvaluation.prepare(model, second, 256, 16)
                        .deactivation(lape, PerplexityChange.Progress.NONE);
                double[] da = ma.ownMinusOthers(), db = mb.ownMinusOthers();
                double[] oa = new double[langs.size()], ob = new double[langs.size()];
                int agree = 0;
                StringBuilder rows = new StringBuilder();
                for (int i = 0; i < langs.size(); i++) {
                    oa[i] = ma.crossEntropyChange()[i][i];
                    ob[i] = mb.crossEntropyChange()[i][i];
                    agree += (da[i] > 0) == (db[i] > 0) ? 1 : 0;
                    rows.append(String.format("  %-3s own CE %+.4f | %+.4f   own - others %+.4f | %+.4f  docs %d | %d%n",
                            langs.get(i), oa[i], ob[i], da[i], db[i], first.get(langs.get(i)).size(),
                            second.get(langs.get(i)).size()));
                }
                System.out.printf("%,d characters per half (%.0f s for both): own CE change correlation %.3f; "
                        + "hurt most (CE) %d | %d of %d; same verdict in both halves for %d of %d%n%s", chars,
                        (System.nanoTime() - t0) / 1e9, correlation(oa, ob), ma.languagesHurtMostThemselves(),
                        mb.languagesHurtMostThemselves(), langs.size(), agree, langs.size(), rows);
            }
        }
    }

    static double correlation(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
