import ArgumentParser
import Foundation
import RunLog

/// `pulse report RUN`: a Jupyter notebook of a training run, for researchers.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a training run as a Jupyter notebook into notebooks-export/.",
        discussion: """
        The notebook embeds the run's summary, config and metrics, shows the learning curve pre-rendered as SVG, and \
        has Python cells that reload metrics.h5 with h5py (falling back to the embedded data) and re-plot it.
        """)

    @Argument(help: "A run directory written by `train`.") var source: String
    @Option(help: "Directory to write the notebook into.") var output = "notebooks-export"

    func run() throws {
        let directory = try RunDirectory.open(at: source)
        let path = try NotebookExport.export(directory, to: output)
        print(path)
    }
}
