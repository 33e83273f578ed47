package govreports.elasticsearch.cjk;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.List;
import java.util.Map;

/**
 * Registers the CJK analysis components that Elastic ships in its analysis-common module, under the
 * same names and with the same settings, so index templates written for the official image work
 * unchanged on the dev node built from the integ-test distribution (which lacks analysis-common):
 *
 * <ul>
 *   <li>token filter {@code cjk_width} (no settings; also usable in normalizers)</li>
 *   <li>token filter {@code cjk_bigram}: {@code ignored_scripts} (han|hiragana|katakana|hangul),
 *       {@code output_unigrams} (default false)</li>
 *   <li>analyzer {@code cjk}: {@code stopwords} / {@code stopwords_path} (default: Lucene's CJK set)</li>
 * </ul>
 *
 * Both the configurable form (type: cjk_bigram with settings) and the pre-configured form (a bare
 * name in a filter list, or in {@code _analyze} without an index) are registered, as analysis-common does.
 */
public class CjkAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "cjk_width", CjkWidthFilterFactory::new,
            "cjk_bigram", CjkBigramFilterFactory::new
        );
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("cjk", CjkAnalyzerProvider::new);
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("cjk_bigram", false, CJKBigramFilter::new),
            PreConfiguredTokenFilter.singleton("cjk_width", true, CJKWidthFilter::new)
        );
    }

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        return List.of(new PreBuiltAnalyzerProviderFactory("cjk", CachingStrategy.LUCENE, CJKAnalyzer::new));
    }
}
