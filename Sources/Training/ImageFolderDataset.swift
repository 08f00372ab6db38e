import FileNames
import Foundation
import NeuralNet
import VideoIO

/// Reads a class-folder tree, `<root>/<split>/<class>/*.jpg|jpeg|png|bmp` (the layout of
/// `shared/data/fer2013`), decoding every image through VideoIO (FFmpeg) and resizing it to the model side.
///
/// Class folders are matched case-insensitively, synonyms included (`Happiness` → happy); two folders of
/// one class are merged. Split and class folders may be symbolic links; a folder reached twice through
/// links is read once. Files are read in byte order of their names, so datasets are reproducible.
public enum ImageFolderDataset {
    /// File name extensions read as images (lowercased).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp"]

    /// The split folders under `root` (non-hidden directories), sorted.
    public static func splits(in root: URL) throws -> [String] {
        try directories(in: root).map(\.lastPathComponent)
    }

    /// Loads one split. Unreadable images are skipped and reported in `warnings`; an unknown class folder,
    /// a missing split or a split without a single readable image is an error.
    /// - Parameters:
    ///   - threads: decoding threads (FFmpeg decodes are independent; the order of the result never
    ///     depends on the thread count).
    public static func load(root: URL, split: String, side: Int, classNames: [String], resize: ImageResizer,
                            threads: Int = 2, warnings: inout [String]) throws -> ImageDataset {
        let splitURL = root.appendingPathComponent(split, isDirectory: true)
        guard RawFileSystem.isFolder(splitURL.path) else {
            let found = (try? splits(in: root)) ?? []
            let resolver = ClassNameResolver(classNames: classNames)
            if !found.isEmpty && found.allSatisfy({ resolver.index(of: $0) != nil }) {
                throw TrainingError(root, "holds class folders directly; expected <data>/\(split)/<class>/ "
                                    + "(pass the folder above the split folders)")
            }
            throw TrainingError(root, "no '\(split)' split folder (found: "
                                + (found.isEmpty ? "none" : found.joined(separator: ", ")) + ")")
        }

        // List (file, label) in a fixed order.
        let resolver = ClassNameResolver(classNames: classNames)
        var found: [(url: URL, label: Int)] = []
        var strayFiles = 0
        // Class folders by the folder they resolve to: one reached twice through links is read once.
        var read: [String: (name: String, label: Int)] = [:]
        for folder in try directories(in: splitURL) {
            guard let label = resolver.index(of: folder.lastPathComponent) else {
                throw TrainingError(folder, "unknown class folder '\(folder.lastPathComponent)' (classes: "
                                    + classNames.joined(separator: ", ")
                                    + "; synonyms such as anger, happiness, sadness, surprised are accepted)")
            }
            let real = folder.resolvingSymlinksInPath().standardizedFileURL.path
            if let earlier = read[real] {
                guard earlier.label == label else {
                    throw TrainingError(folder, "is the same folder as '\(earlier.name)' (through a link), but "
                                        + "one is \(classNames[label]) and the other \(classNames[earlier.label])")
                }
                continue
            }
            read[real] = (folder.lastPathComponent, label)
            for file in try contents(of: folder) where !file.hasDirectoryPath {
                if imageExtensions.contains(file.pathExtension.lowercased()) {
                    found.append((file, label))
                } else {
                    strayFiles += 1
                }
            }
        }
        strayFiles += try contents(of: splitURL).filter { !$0.hasDirectoryPath }.count
        if strayFiles > 0 {
            warnings.append("\(splitURL.path): ignored \(strayFiles) file(s) that are not images inside class folders")
        }
        guard !found.isEmpty else {
            throw TrainingError(splitURL, "no images (.jpg, .jpeg, .png, .bmp) in its class folders")
        }

        // Decode in parallel into per-file slots, then assemble in file order.
        let imageSize = side * side
        let files = found
        var decoded = [[UInt8]?](repeating: nil, count: files.count)
        var failures = [String?](repeating: nil, count: files.count)
        let workers = max(1, min(threads, files.count))
        decoded.withUnsafeMutableBufferPointer { decodedSlots in
            failures.withUnsafeMutableBufferPointer { failureSlots in
                let decodedBase = decodedSlots, failureBase = failureSlots
                Compute.parallel(workers) { worker in
                    var index = worker
                    while index < files.count {
                        do {
                            let image = try StillImage.decodeGray(contentsOf: files[index].url)
                            decodedBase[index] = image.width == side && image.height == side
                                ? image.pixels : resize(image.pixels, image.width, image.height, side)
                        } catch {
                            failureBase[index] = "\(error)"
                        }
                        index += workers
                    }
                }
            }
        }
        var dataset = ImageDataset(side: side, classNames: classNames,
                                   source: "\(root.lastPathComponent)/\(split)")
        var skipped: [String] = []
        for (index, file) in files.enumerated() {
            if let pixels = decoded[index], pixels.count == imageSize {
                dataset.append(pixels, label: file.label)
            } else {
                skipped.append(failures[index] ?? "\(file.url.path): decoded to a wrong size")
            }
        }
        if !skipped.isEmpty {
            warnings.append("\(splitURL.path): skipped \(skipped.count) unreadable image(s) of \(files.count); "
                            + "first: \(skipped[0])")
        }
        guard !dataset.isEmpty else {
            throw TrainingError(splitURL, "none of its \(files.count) images could be read; first: \(skipped[0])")
        }
        return dataset
    }

    /// Visible entries of a directory, sorted by name (byte order). Links are followed, as `analyze`
    /// follows them: a linked split or class folder lists its contents and counts as a folder.
    private static func contents(of directory: URL) throws -> [URL] {
        // By path, and by the names' bytes: the URL form lists nothing when `directory` is itself a
        // symbolic link, and Foundation mangles a name that is not UTF-8 (`RawFileName`).
        guard let names = RawFileSystem.names(inFolder: directory.path) else {
            throw TrainingError(directory, "cannot list the directory (\(RawFileError(code: errno)))")
        }
        return names.filter { !$0.hasPrefix(".") }.map { name in
            let path = directory.appendingPathComponent(name).path
            return URL(fileURLWithPath: path, isDirectory: RawFileSystem.isFolder(path))
        }.sorted { RawFileName.encode($0.lastPathComponent).lexicographicallyPrecedes(RawFileName.encode($1.lastPathComponent)) }
    }

    private static func directories(in directory: URL) throws -> [URL] {
        try contents(of: directory).filter(\.hasDirectoryPath)
    }
}
