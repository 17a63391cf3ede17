import Indexing

/// Okapi BM25 with Lucene's non-negative idf, per field, with a boost per field.
public struct BM25: Sendable, Equatable {
    /// Term-frequency saturation.
    public var k1: Double
    /// Length normalisation (0: none, 1: full).
    public var b: Double
    /// Multiplier of each field's score: a match in the title counts more than one in the body.
    public var fieldBoosts: [Field: Double]
    /// Weight of an exact occurrence of a split word (its pieces adjacent) on top of its pieces.
    public var phraseBoost: Double
    /// Weight of character-bigram matches (when the index has the `grams` field).
    public var gramBoost: Double
    /// Weight of the proximity bonus (clauses close together in the body); 0 turns it off.
    public var proximityBoost: Double

    public static let defaultK1 = 1.2
    public static let defaultB = 0.75
    public static let defaultTitleBoost = 1.0
    public static let defaultPhraseBoost = 3.0
    public static let defaultGramBoost = 1.0
    public static let defaultProximityBoost = 1.0

    public init(k1: Double = defaultK1, b: Double = defaultB, titleBoost: Double = defaultTitleBoost, authorBoost: Double = 1.0, bodyBoost: Double = 1.0,
                phraseBoost: Double = defaultPhraseBoost, gramBoost: Double = defaultGramBoost,
                proximityBoost: Double = defaultProximityBoost) {
        self.k1 = k1
        self.b = b
        self.fieldBoosts = [.title: titleBoost, .author: authorBoost, .body: bodyBoost, .grams: 1]
        self.phraseBoost = phraseBoost
        self.gramBoost = gramBoost
        self.proximityBoost = proximityBoost
    }

    public func boost(_ field: Field) -> Double { fieldBoosts[field] ?? 1 }

    /// ln(1 + (N − df + 0.5) / (df + 0.5)): rarer terms weigh more, never below zero.
    public func idf(documentFrequency df: Int, documentCount n: Int) -> Double {
        log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// A matcher's idf from its terms' document frequencies: a term's own, a phrase's the sum of
    /// its terms' (as Lucene's PhraseQuery), which is known before the phrase is matched. The one
    /// rule both the exhaustive and the pruned evaluators use, so their scores agree to the bit.
    public func idf<S: Sequence>(documentFrequencies: S, documentCount n: Int) -> Double where S.Element == Int {
        var sum = 0.0
        for df in documentFrequencies { sum += idf(documentFrequency: df, documentCount: n) }
        return sum
    }

    /// The saturated, length-normalised term frequency: tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)).
    public func tfNorm(termFrequency tf: Double, fieldLength: Double, averageFieldLength: Double) -> Double {
        lengthNorm(averageFieldLength: averageFieldLength).tfNorm(termFrequency: tf, fieldLength: fieldLength)
    }

    /// `tfNorm` for one field's average length, with the per-field constants computed once (no
    /// division by the average per document). Every evaluator computes tfNorm through it, so
    /// their scores agree to the bit.
    public func lengthNorm(averageFieldLength: Double) -> LengthNorm {
        LengthNorm(saturation: k1 + 1, constant: k1 * (1 - b), perLength: k1 * b / averageFieldLength)
    }

    /// tf·(k1+1) / (tf + k1·(1 − b) + (k1·b/avg)·len), for one field.
    public struct LengthNorm: Sendable {
        let saturation: Double
        let constant: Double
        let perLength: Double

        @inline(__always)
        public func tfNorm(termFrequency tf: Double, fieldLength: Double) -> Double {
            tf * saturation / (tf + (constant + perLength * fieldLength))
        }
    }

    public func score(termFrequency tf: Double, documentFrequency df: Int, documentCount n: Int, fieldLength: Double, averageFieldLength: Double, field: Field) -> Double {
        boost(field) * idf(documentFrequency: df, documentCount: n) * tfNorm(termFrequency: tf, fieldLength: fieldLength, averageFieldLength: averageFieldLength)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
