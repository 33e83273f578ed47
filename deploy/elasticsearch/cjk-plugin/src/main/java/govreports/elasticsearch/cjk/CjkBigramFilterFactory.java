package govreports.elasticsearch.cjk;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.lucene.analysis.miscellaneous.DisableGraphAttribute;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cjk_bigram}, same settings and behaviour as Elastic's analysis-common CJKBigramFilterFactory:
 * {@code ignored_scripts} removes scripts from bigramming, {@code output_unigrams} also emits unigrams
 * (and then disables graph analysis, and refuses to be used for synonym parsing).
 */
public final class CjkBigramFilterFactory extends AbstractTokenFilterFactory {

    private final int flags;
    private final boolean outputUnigrams;

    public CjkBigramFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        this.outputUnigrams = settings.getAsBoolean("output_unigrams", false);
        final List<String> ignored = settings.getAsList("ignored_scripts");
        Set<String> scripts = new HashSet<>(List.of("han", "hiragana", "katakana", "hangul"));
        if (ignored != null) {
            scripts.removeAll(ignored);
        }
        int f = 0;
        for (String script : scripts) {
            switch (script) {
                case "han" -> f |= CJKBigramFilter.HAN;
                case "hiragana" -> f |= CJKBigramFilter.HIRAGANA;
                case "katakana" -> f |= CJKBigramFilter.KATAKANA;
                case "hangul" -> f |= CJKBigramFilter.HANGUL;
                default -> { }
            }
        }
        this.flags = f;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        CJKBigramFilter filter = new CJKBigramFilter(tokenStream, flags, outputUnigrams);
        if (outputUnigrams) {
            // Bigrams and unigrams are not position-aligned as a graph; graph-aware query building
            // on such a stream could explode into many paths, so disable it (as Elastic does).
            filter.addAttribute(DisableGraphAttribute.class);
        }
        return filter;
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        if (outputUnigrams) {
            throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
        }
        return this;
    }
}
