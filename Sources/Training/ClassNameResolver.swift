import Foundation

/// Maps the class names found in a dataset (folder names such as `Happiness` or `surprised`) to class
/// indices of a model's label list, case-insensitively and with the common synonyms.
public struct ClassNameResolver: Sendable {
    /// The canonical class names; a class index is a position in this list.
    public let classNames: [String]
    private let lookup: [String: Int]

    /// Synonyms used by public emotion datasets (RAF-DB, AffectNet, CK+, ExpW...), keyed by the lowercased
    /// synonym, valued by our canonical name.
    public static let standardSynonyms: [String: String] = [
        "anger": "angry", "angered": "angry",
        "disgusted": "disgust",
        "fearful": "fear", "scared": "fear", "afraid": "fear",
        "happiness": "happy", "joy": "happy",
        "sadness": "sad",
        "surprised": "surprise",
    ]

    /// A resolver for `classNames` (canonical, in class-index order) that also accepts `synonyms`.
    public init(classNames: [String], synonyms: [String: String] = ClassNameResolver.standardSynonyms) {
        self.classNames = classNames
        var lookup: [String: Int] = [:]
        for (index, name) in classNames.enumerated() { lookup[name.lowercased()] = index }
        for (synonym, canonical) in synonyms {
            if let index = lookup[canonical.lowercased()], lookup[synonym.lowercased()] == nil {
                lookup[synonym.lowercased()] = index
            }
        }
        self.lookup = lookup
    }

    /// The class index for `name` (trimmed, any case, canonical or synonym), or `nil` if it names no class.
    public func index(of name: String) -> Int? {
        lookup[name.trimmingCharacters(in: .whitespaces).lowercased()]
    }
}
