import Foundation

/// Where labelled faces come from: a class-folder tree (`<root>/<split>/<class>/*.jpg`) or a FER2013 CSV
/// file. `--data` takes either.
public struct DatasetSource: Sendable {
    public enum Kind: Sendable, Equatable {
        case folderTree
        case fer2013CSV
    }

    public let url: URL
    public let kind: Kind

    /// Checks that `url` is a non-empty directory or a `.csv` file.
    public init(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw TrainingError(url, "no such data directory or CSV file")
        }
        self.url = url
        if isDirectory.boolValue {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            guard entries.contains(where: { !$0.hasPrefix(".") }) else {
                throw TrainingError(url, "the data directory is empty (expected <data>/<split>/<class>/*.jpg, "
                                    + "e.g. train/happy/001.jpg)")
            }
            kind = .folderTree
        } else if url.pathExtension.lowercased() == "csv" {
            kind = .fer2013CSV
        } else {
            throw TrainingError(url, "not a directory or a .csv file (expected <data>/<split>/<class>/*.jpg "
                                + "or a FER2013 CSV)")
        }
    }

    /// Loads the `required` splits (an error if one is missing or empty) and those of `optional` that exist.
    /// - Parameters:
    ///   - side: images come back `side × side`, resized by `resize` when their size differs.
    ///   - warnings: receives one line per problem that did not stop the load (skipped images).
    public func load(required: [String], optional: [String] = [], side: Int, classNames: [String],
                     resize: ImageResizer, threads: Int = 2,
                     warnings: inout [String]) throws -> [String: ImageDataset] {
        var result: [String: ImageDataset] = [:]
        switch kind {
        case .folderTree:
            let present = Set(try ImageFolderDataset.splits(in: url))
            for split in required + optional.filter({ present.contains($0) && !required.contains($0) }) {
                result[split] = try ImageFolderDataset.load(root: url, split: split, side: side, classNames: classNames,
                                                            resize: resize, threads: threads, warnings: &warnings)
            }
        case .fer2013CSV:
            var summary = FER2013CSV.SplitSummary()
            let sets = try FER2013CSV.load(url, splits: Set(required + optional), side: side,
                                           classNames: classNames, resize: resize, summary: &summary)
            for split in required where sets[split]?.isEmpty ?? true {
                let usage = FER2013CSV.usageForSplit[split].map { " (Usage \($0))" } ?? ""
                throw TrainingError(url, "no rows in split '\(split)'\(usage); the CSV's splits are \(summary)")
            }
            for (split, set) in sets where !set.isEmpty { result[split] = set }
        }
        return result
    }
}
