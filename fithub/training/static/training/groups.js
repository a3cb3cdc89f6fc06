// Drag a person onto another group to move them: it fills in and sends the same small form
// that works without JavaScript (group number, then "Move").
(() => {
  let dragged = null;
  const groupOf = (el) => el.closest && el.closest("[data-group-move] .group");
  document.addEventListener("dragstart", (event) => {
    const member = event.target.closest && event.target.closest(".member[draggable=true]");
    if (!member) return;
    dragged = member;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", member.dataset.registration);
  });
  document.addEventListener("dragover", (event) => {
    const group = dragged && groupOf(event.target);
    if (!group) return;
    event.preventDefault();
    group.classList.add("drop-target");
  });
  document.addEventListener("dragleave", (event) => {
    const group = groupOf(event.target);
    if (group && !group.contains(event.relatedTarget)) group.classList.remove("drop-target");
  });
  document.addEventListener("drop", (event) => {
    const group = dragged && groupOf(event.target);
    if (!group) return;
    event.preventDefault();
    group.classList.remove("drop-target");
    const form = dragged.querySelector("form.move");
    dragged = null;
    if (!form || form.closest(".group") === group) return;
    form.elements.group.value = group.dataset.group;
    form.requestSubmit();
  });
  document.addEventListener("dragend", () => { dragged = null; });
})();
