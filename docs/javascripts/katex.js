// Render the \( .. \) and \[ .. \] spans of pymdownx.arithmatex with the KaTeX the
// site serves itself (assets/katex/); document$ is Material's page-load stream.
document$.subscribe(() => {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: true,
  });
});
