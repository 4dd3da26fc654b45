/**
 * The review form's fields as the service reads them. A form posts flat names (`answers.self_harm`,
 * `actions.self_harm.pathway`, `actions.self_harm.pathway.note`), which are also the field names every
 * problem is reported against, so an error links to its field on the page and names it in the API.
 */
type Values = Record<string, unknown>;

export function reviewFromForm(form: Values): Values {
  const answers: Values = {};
  const followUps: Values = {};
  const actions: Record<string, Values> = {};
  const rest: Values = {};
  for (const [name, value] of Object.entries(form)) {
    const [group, ...path] = name.split('.');
    if (group === 'answers' && path.length === 1) answers[path[0]!] = value;
    else if (group === 'followUps' && path.length === 1) followUps[path[0]!] = value;
    else if (group === 'actions' && path.length === 3 && path[2] === 'note') (actions[`${path[0]}.${path[1]}`] ??= {}).note = value;
    else if (group === 'actions' && path.length === 2) (actions[`${path[0]}.${path[1]}`] ??= {}).status = value;
    else if (path.length === 0) rest[name] = value;
  }
  return { ...rest, answers, followUps, actions };
}
