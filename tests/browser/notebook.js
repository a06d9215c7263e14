// Read-only views of an open notebook through JupyterLab's own objects
// (window.jupyterapp, exposed by --LabApp.expose_app_in_browser=True).
// Loaded into every page before JupyterLab starts; tests call
// window.courseTest.<function>(path, ...) from page.evaluate and
// page.wait_for_function.
window.courseTest = {
  WIDGET_MIME: "application/vnd.jupyter.widget-view+json",

  // The notebook panel showing `path`, or null while it is not open yet.
  panel(path) {
    const app = window.jupyterapp;
    if (!app || !app.shell || !app.shell.widgets) return null;
    for (const widget of app.shell.widgets("main")) {
      if (widget.context && widget.context.path === path && widget.content && widget.sessionContext) {
        return widget;
      }
    }
    return null;
  },

  kernelStatus(path) {
    const panel = this.panel(path);
    const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
    return kernel ? kernel.status : null;
  },

  // Open, rendered, and its kernel started and idle.
  ready(path) {
    const panel = this.panel(path);
    if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;
    if (panel.content.widgets.length !== panel.content.model.cells.length) return false;
    return this.kernelStatus(path) === "idle";
  },

  codeCells(path) {
    return this.panel(path).content.widgets.filter((cell) => cell.model.type === "code");
  },

  // A code cell that JupyterLab sends to the kernel (an empty one it skips).
  runnable(cell) {
    return cell.model.sharedModel.getSource().trim() !== "";
  },

  busyPrompt(cell) {
    const prompt = cell.node.querySelector(".jp-InputPrompt");
    return prompt !== null && prompt.textContent.includes("[*]");
  },

  // Run All has finished: the command has settled (JupyterLab resolves it
  // once every cell's reply has arrived, or once it stopped at an error),
  // no cell shows [*] and the kernel is idle. (Execution counts alone are
  // not enough: a solution opens with the counts it was saved with.)
  runFinished(path) {
    const panel = this.panel(path);
    if (!panel || (window.courseRuns || {})[path] === undefined) return false;
    if (this.kernelStatus(path) !== "idle") return false;
    return !this.codeCells(path).some((cell) => this.busyPrompt(cell));
  },

  // Start Run All on the notebook and remember when the command settles.
  runAll(path) {
    const app = window.jupyterapp;
    const panel = this.panel(path);
    window.courseRuns = window.courseRuns || {};
    delete window.courseRuns[path];
    app.shell.activateById(panel.id);
    app.commands.execute("notebook:run-all-cells").then(
      (result) => { window.courseRuns[path] = String(result); },
      (error) => { window.courseRuns[path] = "failed: " + error; });
  },

  // The outputs that show a widget, as {node, renderer, modelId}.
  // (JupyterLab gives these nodes no data-mime-type attribute, so ask
  // each output's renderer for its MIME type.)
  widgetOutputs(path) {
    const found = [];
    for (const cell of this.codeCells(path)) {
      cell.outputArea.widgets.forEach((child, i) => {
        for (const renderer of child.widgets || [child]) {
          if (renderer.mimeType !== this.WIDGET_MIME) continue;
          const output = cell.model.outputs.get(i);
          const data = output && output.data && output.data[this.WIDGET_MIME];
          found.push({node: renderer.node, renderer, modelId: data ? data.model_id : null});
        }
      });
    }
    return found;
  },

  widgetViews(path) {
    return this.widgetOutputs(path).map((output) => output.node);
  },

  // How many widget views each widget output will hold once drawn: the
  // widget itself and, for boxes, all their children (every view is a
  // Lumino widget, class lm-Widget). Stored for rendered() to compare with.
  async countWidgetViews(path) {
    const count = (model) => 1 + (model.get("children") || []).reduce((n, child) => n + count(child), 0);
    const expected = [];
    for (const output of this.widgetOutputs(path)) {
      let n = 1;
      try {
        const manager = await output.renderer._manager.promise;
        n = count(await manager.get_model(output.modelId));
      } catch (error) {
        n = 1;  // no model (the output then says "Error displaying widget"): one view at most
      }
      expected.push(n);
    }
    window.courseExpectedViews = window.courseExpectedViews || {};
    window.courseExpectedViews[path] = expected;
    return expected;
  },

  widgetDrawn(node, expected = 1) {
    return node.querySelector(".jupyter-widgets") !== null && node.querySelectorAll(".lm-Widget").length >= expected;
  },

  // "Error displaying widget" (no model), or a view that failed to draw
  // (ipywidgets puts an error icon with "Click to show javascript error").
  widgetFailed(node) {
    return node.textContent.includes("Error displaying widget") ||
      node.querySelector(".jupyter-widgets-error-widget") !== null;
  },

  // Every widget output shows all its widget views (or the error message)
  // and every image has loaded, so that what the checks read is on screen.
  rendered(path) {
    const expected = (window.courseExpectedViews || {})[path] || [];
    const views = this.widgetViews(path);
    if (!views.every((node, i) => this.widgetDrawn(node, expected[i] || 1) || this.widgetFailed(node))) return false;
    const node = this.panel(path).content.node;
    return Array.from(node.querySelectorAll(".jp-OutputArea img")).every((img) => img.complete);
  },

  // What the assertions need, gathered in one pass.
  summary(path) {
    const panel = this.panel(path);
    const node = panel.content.node;
    const cells = this.codeCells(path);
    const index = (cell) => panel.content.widgets.indexOf(cell);
    const errors = [];
    let widgetOutputs = 0;
    for (const cell of cells) {
      for (const output of cell.model.outputs.toJSON()) {
        if (output.output_type === "error") {
          errors.push({cell: index(cell), ename: output.ename, evalue: output.evalue});
        }
        if (output.data && output.data[this.WIDGET_MIME]) widgetOutputs += 1;
      }
    }
    const stderrTracebacks = Array.from(
      node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
      .map((el) => el.textContent)
      .filter((text) => text.includes("Traceback"))
      .map((text) => text.slice(-400));
    const feedback = Array.from(node.querySelectorAll(".course-feedback")).map((el) => ({
      status: ["course-correct", "course-wrong", "course-not-attempted"].find((c) => el.classList.contains(c)) || "",
      text: el.textContent.trim().slice(0, 300),
    }));
    return {
      cells: cells.length,
      notRun: cells.filter((c) => this.runnable(c) && c.model.executionCount === null).map(index),
      executionCounts: cells.filter((c) => this.runnable(c)).map((c) => c.model.executionCount),
      busy: cells.filter((c) => this.busyPrompt(c)).map(index),
      errors,
      stderrTracebacks,
      widgetErrors: Array.from(node.querySelectorAll(".jp-OutputArea-output"))
        .filter((el) => this.widgetFailed(el))
        .map((el) => el.textContent.trim().slice(0, 200)),
      widgetOutputs,
      widgetsDrawn: this.widgetViews(path)
        .filter((el, i) => this.widgetDrawn(el, ((window.courseExpectedViews || {})[path] || [])[i] || 1)).length,
      buttons: node.querySelectorAll(".jp-OutputArea-output .widget-button").length,
      feedback,
      runAll: (window.courseRuns || {})[path],
    };
  },

  // Index of the first code cell whose source contains every given text.
  findCell(path, ...texts) {
    const panel = this.panel(path);
    return panel.content.widgets.findIndex((cell) => cell.model.type === "code" &&
      texts.every((t) => cell.model.sharedModel.getSource().includes(t)));
  },

  // Mark a cell's node so that Playwright locators can reach inside it.
  tagCell(path, index, tag) {
    this.panel(path).content.widgets[index].node.setAttribute("data-course-test", tag);
  },

  executionCount(path, index) {
    return this.panel(path).content.widgets[index].model.executionCount;
  },

  // Replace a cell's text, as typing would, and run that cell alone.
  setSourceAndRun(path, index, source) {
    const app = window.jupyterapp;
    const panel = this.panel(path);
    panel.content.widgets[index].model.sharedModel.setSource(source);
    app.shell.activateById(panel.id);
    panel.content.activeCellIndex = index;
    return app.commands.execute("notebook:run-cell");
  },

  // How many more pixels the window needs for the whole notebook to show
  // without scrolling (the cells' height, not the blank space JupyterLab
  // adds after the last cell).
  extraHeight(path) {
    const node = this.panel(path).content.node;
    const outer = node.querySelector(".jp-WindowedPanel-outer");
    const inner = node.querySelector(".jp-WindowedPanel-inner");
    if (!outer || !inner) return Math.max(0, node.scrollHeight - node.clientHeight);
    return Math.max(0, Math.ceil(inner.getBoundingClientRect().height - outer.clientHeight));
  },

  // Scroll the notebook back to its first cell.
  scrollToTop(path) {
    const node = this.panel(path).content.node;
    (node.querySelector(".jp-WindowedPanel-outer") || node).scrollTop = 0;
  },

  atTop(path) {
    const node = this.panel(path).content.node;
    return (node.querySelector(".jp-WindowedPanel-outer") || node).scrollTop === 0;
  },

  // Resolves after the browser has drawn two more frames.
  nextFrames() {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  },

  // ---- Explorers: controls moved, redraws timed inside the page ----------

  // Indices of the code cells that build an explorer (their source calls explorer(...)).
  explorerCells(path) {
    const found = [];
    this.panel(path).content.widgets.forEach((cell, i) => {
      if (cell.model.type === "code" && /\bexplorer\(/.test(cell.model.sharedModel.getSource())) found.push(i);
    });
    return found;
  },

  cellNode(path, index) {
    return this.panel(path).content.widgets[index].node;
  },

  // The figure an explorer shows now: an ipywidgets Image, or an image
  // (or SVG) in an Output widget; null when there is none.
  explorerFigure(node) {
    const out = node.querySelector(".jp-Cell-outputArea") || node;
    return out.querySelector("img.widget-image, .widget-output img, .widget-output svg");
  },

  // "This setting could not be drawn: ..." shown by the explorer, or "".
  explorerError(node) {
    const out = node.querySelector(".jp-Cell-outputArea") || node;
    const text = out.textContent;
    const at = text.indexOf("could not be drawn");
    return at < 0 ? "" : text.slice(Math.max(0, at - 20), at + 200).trim();
  },

  // The explorer's readout line under its figure: its text, whether it is
  // shown on screen, and whether draw() gave a description in words.
  explorerReadout(path, index) {
    const node = this.cellNode(path, index).querySelector(".course-explorer-readout");
    if (!node) return {text: "", shown: false, described: false};
    const box = node.getBoundingClientRect();
    return {text: node.textContent.trim(), shown: box.width > 1 && box.height > 1,
            described: node.dataset.described === "yes"};
  },

  // The explorer's title and its controls, in the order they are shown.
  explorerControls(path, index) {
    const node = this.cellNode(path, index);
    const title = node.querySelector(".jp-Cell-outputArea .widget-html b");
    const label = (el) => {
      const box = el.closest(".widget-inline-hbox, .widget-slider, .widget-dropdown, .widget-checkbox, " +
                             ".widget-select-multiple");
      const l = box && box.querySelector(".widget-label, label");
      return l ? l.textContent.trim() : "";
    };
    const controls = [];
    node.querySelectorAll(".jp-Cell-outputArea .widget-slider .noUi-handle").forEach((el, i) => controls.push({
      kind: "slider", nth: i, label: label(el), value: Number(el.getAttribute("aria-valuenow")),
      min: Number(el.getAttribute("aria-valuemin")), max: Number(el.getAttribute("aria-valuemax"))}));
    node.querySelectorAll(".jp-Cell-outputArea .widget-dropdown select").forEach((el, i) => controls.push({
      kind: "dropdown", nth: i, label: label(el), selected: el.selectedIndex, options: el.options.length}));
    node.querySelectorAll(".jp-Cell-outputArea .widget-checkbox input[type=checkbox]").forEach((el, i) =>
      controls.push({kind: "checkbox", nth: i, label: label(el), checked: el.checked}));
    node.querySelectorAll(".jp-Cell-outputArea .widget-select-multiple select").forEach((el, i) => controls.push({
      kind: "multiselect", nth: i, label: label(el), options: el.options.length,
      selected: Array.from(el.options).filter((o) => o.selected).map((o) => o.index)}));
    return {title: title ? title.textContent.trim() : "", controls};
  },

  // Watch the explorer in cell `index` for one redraw. The clock starts at
  // the first input event on the cell (keydown, pointer, input or change:
  // the event's own timeStamp) and stops once a new figure is in the page
  // and decoded (img.decode()), or the explorer shows an error: a new one at
  // once, the same one as before once the kernel is idle again (a repeated
  // error changes nothing on the page). Read the outcome with redrawn().
  armRedraw(path, index, timeout) {
    const node = this.cellNode(path, index);
    const before = this.explorerFigure(node);
    const beforeSrc = before ? before.getAttribute("src") : null;
    const beforeError = this.explorerError(node);
    const events = ["keydown", "pointerdown", "mousedown", "input", "change", "click"];
    let start = null;
    const onEvent = (event) => { if (start === null) start = event.timeStamp; };
    events.forEach((e) => node.addEventListener(e, onEvent, true));
    let observer = null;
    let timer = null;
    const kernel = this.panel(path).sessionContext.session.kernel;
    let onStatus = null;
    window.courseRedraw = new Promise((resolve) => {
      let done = false;
      const finish = (result) => {
        if (done) return;
        done = true;
        if (observer) observer.disconnect();
        clearTimeout(timer);
        kernel.statusChanged.disconnect(onStatus);
        events.forEach((e) => node.removeEventListener(e, onEvent, true));
        resolve(Object.assign({started: start !== null}, result));
      };
      onStatus = (_, status) => {
        if (status !== "idle" || start === null) return;
        // widget updates are applied asynchronously: give a redraw that arrived before "idle" time to land
        setTimeout(() => {
          const error = this.explorerError(node);
          if (error) finish({error, ms: performance.now() - start});
        }, 200);
      };
      kernel.statusChanged.connect(onStatus);
      const check = () => {
        const error = this.explorerError(node);
        if (error && error !== beforeError) {
          finish({error, ms: start === null ? null : performance.now() - start});
          return;
        }
        const figure = this.explorerFigure(node);
        if (!figure || (figure === before && figure.getAttribute("src") === beforeSrc)) return;
        observer.disconnect();
        const decoded = figure.tagName.toLowerCase() === "img" ? figure.decode() : Promise.resolve();
        decoded.then(
          () => finish({ms: start === null ? null : performance.now() - start, kind: figure.tagName.toLowerCase()}),
          (error) => finish({error: "the new image could not be decoded: " + error}));
      };
      observer = new MutationObserver(check);
      observer.observe(node, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ["src", "style", "class"]});
      timer = setTimeout(() => finish({timeout: true}), timeout);
    });
    return true;
  },

  redrawn() {
    return window.courseRedraw;
  },

  // Resolves once the notebook's kernel is idle (at once if it is).
  whenIdle(path, timeout) {
    const kernel = this.panel(path).sessionContext.session.kernel;
    return new Promise((resolve) => {
      if (kernel.status === "idle") { resolve(true); return; }
      const onStatus = (_, status) => {
        if (status !== "idle") return;
        kernel.statusChanged.disconnect(onStatus);
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => { kernel.statusChanged.disconnect(onStatus); resolve(false); }, timeout);
      kernel.statusChanged.connect(onStatus);
    });
  },

  // Close the notebook without a "save changes?" dialog and shut its
  // kernel down (and any other kernel this page started).
  async closeAndShutdown(path) {
    const panel = this.panel(path);
    if (panel) {
      await panel.sessionContext.shutdown();
      panel.context.model.dirty = false;
      panel.dispose();
    }
    const app = window.jupyterapp;
    if (app && app.serviceManager) await app.serviceManager.sessions.shutdownAll();
  },
};
