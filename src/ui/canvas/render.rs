//! What one frame of the canvas draws: the wires and cards in view (in
//! the form the zoom calls for), the labels of the overview, the tooltip
//! and the cards' accessibility nodes.

use super::*;

impl Canvas {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paint(
        &mut self,
        painter: &egui::Painter,
        d: &Arc<Diagram>,
        input: &CanvasInput<'_>,
        visible: Rect,
        now: f64,
        pointer: &Pointer,
    ) {
        let t = self.view.transform();
        let lod = self.lod;
        let bounds = Rect::from_min_max(
            pos2(d.bounds[0] as f32, d.bounds[1] as f32),
            pos2(d.bounds[2] as f32, d.bounds[3] as f32),
        );
        let area = visible.intersect(bounds.expand(200.0));
        let selected: FxHashSet<&NodeId> = input.selection.iter().collect();
        // The gesture's cards where this diagram has them.
        let lead = match &self.gesture {
            Gesture::DraggingCards { lead, .. } => d.card_index(lead),
            _ => None,
        };
        let dragging = lead.map(|lead| (lead, Self::moving(d, lead, input.selection)));
        let drag_offset = match (&self.gesture, lead) {
            (Gesture::DraggingCards { grab, now: p, .. }, Some(lead)) => {
                let r = d.cards[lead].rect;
                vec2(p.x - grab.x - r[0] as f32, p.y - grab.y - r[1] as f32)
            }
            _ => Vec2::ZERO,
        };
        let hover_path =
            self.hover.filter(|_| self.gesture == Gesture::Idle).map(|k| Self::path_up(d, k)).unwrap_or_default();
        // Drawn while the closures below borrow the rest of the canvas.
        let mut overview = std::mem::take(&mut self.overview);
        let rect_of = |k: usize| -> [f64; 4] {
            let card = &d.cards[k];
            let mut r = self.current_rect(d, card, now);
            if let Some([x, y]) = self.pending.get(&card.id) {
                r[0] = *x;
                r[1] = *y;
            }
            if let Some((_, moving)) = &dragging
                && moving.contains(&k)
            {
                r[0] += f64::from(drag_offset.x);
                r[1] += f64::from(drag_offset.y);
            }
            r
        };
        let moved = |k: usize| {
            self.animation.as_ref().is_some_and(|a| a.from.contains_key(&d.cards[k].id))
                || self.pending.contains_key(&d.cards[k].id)
                || dragging.as_ref().is_some_and(|(_, m)| m.contains(&k))
        };
        let faded = |k: usize| input.focus.is_some_and(|f| !f.contains(&d.cards[k].id));

        // The drop target while dragging.
        let drop = match (&self.gesture, &dragging) {
            (Gesture::DraggingCards { now: p, .. }, Some((lead, moving))) => {
                Some(self.drop_target(d, *lead, *p, moving))
            }
            _ => None,
        };
        let wire_from = match &self.gesture {
            Gesture::DraggingWire { from, now: p } => d.card_index(from).map(|k| (k, *p)),
            _ => None,
        };
        let wire_target = wire_from.and_then(|(from, p)| {
            self.grid_cards_at(d, p).into_iter().rev().find(|&k| k != from).map(|k| (k, Self::wire_refusal(d, from, k)))
        });
        let highlight = |k: usize| {
            let card = &d.cards[k];
            let drop_here = match &drop {
                Some(Drop::Onto(target, why)) if *target == k => Some(why.is_ok()),
                _ => match wire_target {
                    Some((target, why)) if target == k => Some(why.is_none()),
                    _ => None,
                },
            };
            Highlight {
                matched: input.matches.is_some_and(|m| m.contains(&card.id)),
                selected: selected.contains(&card.id),
                hovered: self.hover == Some(k) || hover_path.iter().any(|&w| d.wires[w].parent as usize == k),
                drop: drop_here,
                faded: faded(k),
            }
        };

        // Far out, with nothing moving or faded: the overview's picture, and
        // over it the few boxes that are highlighted.
        let still = dragging.is_none() && self.animation.is_none() && self.pending.is_empty() && input.focus.is_none();
        let ppp = painter.ctx().pixels_per_point();
        let from_picture = lod == Lod::Overview && still && overview.paint(painter, d, t, ppp, self.view.outer);
        if from_picture {
            let mut marked: Vec<usize> = input.selection.iter().filter_map(|id| d.card_index(id)).collect();
            marked.extend(input.matches.into_iter().flatten().filter_map(|id| d.card_index(id)));
            marked.extend(self.hover);
            marked.extend(hover_path.iter().map(|&w| d.wires[w].parent as usize));
            marked.extend(wire_target.map(|(k, _)| k));
            marked.sort_unstable();
            marked.dedup();
            let mut mesh = OverviewMesh::default();
            for k in marked {
                mesh.card(&d.cards[k], self.view.screen_rect(rect_of(k)), highlight(k));
            }
            mesh.paint(painter);
        } else {
            self.paint_shapes(painter, d, input, area, pointer, &rect_of, &moved, &highlight, &hover_path);
        }
        if lod == Lod::Overview {
            self.overview_labels(painter, d, &rect_of, input);
        }
        // The others' selections in a room: a ring in their colour, their
        // name on a tag above the card's corner.
        for (k, (id, colour, name)) in input.presence.iter().enumerate() {
            let Some(card) = d.card_index(id) else { continue };
            // Two people on one card: the second ring outside the first.
            let nested = input.presence[..k].iter().filter(|(other, _, _)| other == id).count() as f32;
            let r = self.view.screen_rect(rect_of(card)).expand(5.0 + 4.0 * nested);
            painter.rect_stroke(r, 8.0, Stroke::new(2.5, *colour), egui::StrokeKind::Outside);
            let font = egui::FontId::proportional(11.0);
            let galley = painter.layout_no_wrap(name.clone(), font, Color32::WHITE);
            let tag = Rect::from_min_size(
                pos2(r.left() + 6.0 + 70.0 * nested, r.top() - galley.size().y - 4.0),
                galley.size() + vec2(8.0, 4.0),
            );
            painter.rect_filled(tag, 3.0, *colour);
            painter.galley(tag.min + vec2(4.0, 2.0), galley, Color32::WHITE);
        }

        // Feedback of the gesture in progress.
        match (&self.gesture, &drop) {
            (Gesture::DraggingCards { now: p, .. }, Some(Drop::Onto(_, Err(why)))) => {
                refusal(painter, t * *p, *why, input.lang);
            }
            (_, Some(Drop::Reorder { line, .. })) => {
                painter.line_segment([t * line[0], t * line[1]], Stroke::new(3.0, colour::SELECTION));
            }
            _ => {}
        }
        if let Some((from, p)) = wire_from {
            let r = self.view.screen_rect(rect_of(from));
            let start = paint::handle_centre(r);
            let end = t * p;
            let c = match wire_target {
                Some((_, None)) => colour::VALID,
                Some((_, Some(_))) => colour::INVALID,
                None => colour::SELECTION,
            };
            let mid = start.x + ((end.x - start.x) / 2.0).max(12.0);
            painter.line(vec![start, pos2(mid, start.y), pos2(mid, end.y), end], Stroke::new(2.0, c));
            painter.circle_filled(end, 4.0, c);
            if let Some((_, Some(why))) = wire_target {
                refusal(painter, end, why, input.lang);
            }
        }
        if let Gesture::Brushing { start, now: p } = &self.gesture {
            let r = Rect::from_two_pos(t * *start, t * *p);
            painter.rect(
                r,
                0.0,
                colour::SELECTION.gamma_multiply(0.08),
                Stroke::new(1.0, colour::SELECTION),
                egui::StrokeKind::Inside,
            );
        }
        self.overview = overview;
        self.overview_drawn = from_picture;
    }

    /// The wires, badges and cards in `area` as shapes, in the form the
    /// zoom calls for.
    #[allow(clippy::too_many_arguments)]
    fn paint_shapes(
        &self,
        painter: &egui::Painter,
        d: &Diagram,
        input: &CanvasInput<'_>,
        area: Rect,
        pointer: &Pointer,
        rect_of: &dyn Fn(usize) -> [f64; 4],
        moved: &dyn Fn(usize) -> bool,
        highlight: &dyn Fn(usize) -> Highlight,
        hover_path: &FxHashSet<usize>,
    ) {
        let t = self.view.transform();
        let (zoom, lod) = (t.scaling, self.lod);
        let cards = self.grid.cards_in(area);
        let wires = self.grid.wires_in(area);
        let mut mesh = if lod == Lod::Overview {
            OverviewMesh::with_capacity(cards.len(), wires.len())
        } else {
            OverviewMesh::default()
        };
        // Wires first, under the cards.
        for &w in &wires {
            let wire = &d.wires[w as usize];
            let (p, c) = (wire.parent as usize, wire.child as usize);
            // Cards on the move: a plain elbow between where they are drawn.
            let elbow_points = (moved(p) || moved(c)).then(|| elbow(rect_of(p), rect_of(c)).map(|q| t * q));
            let routed = || wire.points.iter().map(|q| t * pos2(q[0] as f32, q[1] as f32));
            if lod == Lod::Overview {
                match elbow_points {
                    Some(e) => mesh.wire(e.into_iter()),
                    None => mesh.wire(routed()),
                }
                continue;
            }
            let points: Vec<Pos2> = elbow_points.map_or_else(|| routed().collect(), Vec::from);
            let hot = hover_path.contains(&(w as usize));
            wires::wire(painter, points, wire.op, lod, hot, highlight(p).faded && highlight(c).faded);
        }
        if lod == Lod::Full {
            let hot_badge = pointer.pos.and_then(|p| Self::badge_wire(d, &self.hit(d, p, &[])));
            for &w in &wires {
                let wire = &d.wires[w as usize];
                if !wire.show_op {
                    continue;
                }
                let b = if moved(wire.child as usize) {
                    let r = rect_of(wire.child as usize);
                    pos2((r[0] - crate::layout::BADGE_OFFSET) as f32, (r[1] + r[3] / 2.0) as f32)
                } else {
                    pos2(wire.badge[0] as f32, wire.badge[1] as f32)
                };
                wires::badge(painter, t * b, wire.op, zoom, hot_badge == Some(w as usize));
            }
        }
        for &k in &cards {
            let k = k as usize;
            let card = &d.cards[k];
            let screen = self.view.screen_rect(rect_of(k));
            let h = highlight(k);
            if lod == Lod::Overview {
                mesh.card(card, screen, h);
            } else {
                paint::card(painter, card, screen, zoom, lod, h, input.lang);
                let active = self.hover == Some(k) || h.selected;
                if active && self.gesture == Gesture::Idle {
                    let hot = pointer
                        .pos
                        .is_some_and(|p| (paint::handle_centre(screen) - t * p).length() <= paint::HANDLE_RADIUS + 3.0);
                    wires::handle(painter, paint::handle_centre(screen), hot);
                }
            }
        }
        mesh.paint(painter);
    }

    /// Names of the upper levels beside their boxes, at a readable size,
    /// without overlapping each other: goals first, then their terms.
    pub(super) fn overview_labels(
        &self,
        painter: &egui::Painter,
        d: &Diagram,
        rect_of: &dyn Fn(usize) -> [f64; 4],
        input: &CanvasInput<'_>,
    ) {
        // The upper three levels and the selection, where they are in view.
        let mut order: Vec<usize> = (0..d.cards.len()).filter(|&k| d.cards[k].depth <= 2).collect();
        order.extend(input.selection.iter().filter_map(|id| d.card_index(id)).filter(|&k| d.cards[k].depth > 2));
        order.retain(|&k| self.view.screen_rect(rect_of(k)).intersects(self.view.outer));
        order.sort_by_key(|&k| (d.cards[k].depth, k));
        let font = paint::font(MIN_TEXT + 1.0, true);
        let mut placed: Vec<Rect> = Vec::new();
        for k in order.into_iter().take(400) {
            let card = &d.cards[k];
            let screen = self.view.screen_rect(rect_of(k));
            let galley = painter.layout_no_wrap(card.name.join(""), font.clone(), colour::INK);
            let size = galley.size() + vec2(8.0, 4.0);
            let at = if screen.width() >= size.x && screen.height() >= size.y {
                screen.min
            } else {
                pos2(screen.min.x, screen.min.y - size.y - 1.0)
            };
            let label = Rect::from_min_size(at, size);
            if placed.iter().any(|r| r.intersects(label)) {
                continue;
            }
            painter.rect_filled(label, 3.0, Color32::from_white_alpha(225));
            painter.galley(label.min + vec2(4.0, 2.0), galley, colour::INK);
            placed.push(label);
        }
    }

    /// The period under the pointer on card `k`'s trend line, when it is
    /// drawn and the pointer is on it.
    fn trend_period(&self, d: &Diagram, k: usize) -> Option<usize> {
        if self.lod != Lod::Full {
            return None;
        }
        let card = &d.cards[k];
        let trend = card.trend.as_ref()?;
        let [x, y, w, h] = crate::export::CardLayout::of(card).trend?;
        let p = self.last_pointer?; // in diagram coordinates
        let (px, py) = (f64::from(p.x) - card.rect[0], f64::from(p.y) - card.rect[1]);
        let inside = px >= x - 4.0 && px <= x + w + 4.0 && py >= y - 4.0 && py <= y + h + 4.0;
        inside.then(|| crate::export::card_layout::TrendLines::of(trend, [x, y, w, h]).period_at(px)).flatten()
    }

    /// The month under the pointer on a trend line: its name, target,
    /// actual and 達成率, at once.
    fn trend_tooltip(&self, ui: &Ui, d: &Diagram, input: &CanvasInput<'_>, k: usize, p: usize) {
        use crate::ui::i18n::T;
        let card = &d.cards[k];
        let (Some(trend), Some(eval)) = (card.trend.as_ref(), input.eval) else { return };
        let Some(table) = eval.periods() else { return };
        let Some(&span) = table.spans.get(p) else { return };
        let lang = input.lang;
        let node = input.doc.nodes.get_by_id(card.id.as_str());
        let unit = node.map_or("", |n| eval.shown_unit(n, crate::eval::Which::Actual));
        let (target, actual) = (trend.target.get(p).copied().flatten(), trend.actual.get(p).copied().flatten());
        let layer = egui::LayerId::new(egui::Order::Background, self.id);
        egui::Tooltip::always_open(ui.ctx().clone(), layer, self.id.with("trend-tip"), egui::PopupAnchor::Pointer)
            .show(|ui| {
                ui.strong(format!("{} — {}", card.name.join(""), table.calendar.name(span, lang)));
                for (label, value) in [(T::Target, target), (T::Actual, actual)] {
                    let text = crate::format::format_amount_or_dash(value, unit, false);
                    ui.label(format!("{}: {text}", label.get(lang)));
                }
                let direction = node.map_or(crate::model::Direction::Up, |n| n.direction());
                if let Some(progress) = crate::eval::progress(target, actual, direction) {
                    ui.colored_label(
                        crate::ui::card::progress_color(progress),
                        format!("{}: {}", T::Progress.get(lang), crate::format::percent(progress, 0)),
                    );
                }
            });
    }

    /// After the pointer rests on a card: its whole name, what is wrong with
    /// it and what its marks mean; on its trend line, the month's numbers.
    pub(super) fn tooltip(&mut self, ui: &Ui, d: &Diagram, input: &CanvasInput<'_>, now: f64) {
        use crate::ui::i18n::T;
        let hovered = self.hover.filter(|_| self.gesture == Gesture::Idle && !self.menus.is_open());
        if let Some(k) = hovered
            && let Some(p) = self.trend_period(d, k)
        {
            self.hover_since = None;
            return self.trend_tooltip(ui, d, input, k, p);
        }
        match (hovered, self.hover_since) {
            (Some(k), Some((h, _))) if h == k => {}
            (Some(k), _) => self.hover_since = Some((k, now)),
            (None, _) => self.hover_since = None,
        }
        let Some((k, since)) = self.hover_since else { return };
        if now - since < 0.6 {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(650));
            return;
        }
        let card = &d.cards[k];
        let lang = input.lang;
        let node = &input.doc.nodes.get_by_id(card.id.as_str());
        let problems: Vec<String> = input
            .eval
            .map(|e| {
                e.diagnostics_of(&card.id)
                    .filter(|x| x.severity() != crate::eval::Severity::Info)
                    .take(8)
                    .map(|x| format!("• {}", x.message(lang)))
                    .collect()
            })
            .unwrap_or_default();
        let layer = egui::LayerId::new(egui::Order::Background, self.id);
        egui::Tooltip::always_open(ui.ctx().clone(), layer, self.id.with("tip"), egui::PopupAnchor::Pointer).show(
            |ui| {
                ui.strong(node.map_or_else(|| card.name.join(""), |n| n.name.chars().take(300).collect()));
                if card.marks.computed {
                    ui.label(T::ComputedHint.get(lang));
                }
                if let Some(rank) = card.marks.bottleneck {
                    ui.colored_label(colour::RANK, format!("{} ({rank})", T::BottleneckMark.get(lang)));
                }
                if card.marks.overridden {
                    ui.colored_label(colour::WHAT_IF, T::OverriddenMark.get(lang));
                }
                if card.marks.parents > 1 {
                    ui.colored_label(colour::SHARED, format!("{} ({})", T::SharedMark.get(lang), card.marks.parents));
                }
                for p in problems {
                    ui.label(p);
                }
            },
        );
    }

    /// Every card in view as a node of the accessibility tree (screen
    /// readers, and tests that find a card by its name).
    pub(super) fn accessibility(&self, ui: &mut Ui, d: &Diagram, visible: Rect) {
        if self.lod == Lod::Overview {
            return;
        }
        for k in self.grid.cards_in(visible) {
            let card = &d.cards[k as usize];
            let rect = self.view.screen_rect(self.drawn_rect(card)).intersect(self.view.outer);
            if !rect.is_positive() {
                continue;
            }
            let response = ui.interact(rect, self.id.with(("card", card.node)), Sense::hover());
            let name = card.name.join("");
            response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &name));
        }
    }
}

/// A plain elbow between two card rectangles (while cards move).
fn elbow(p: [f64; 4], c: [f64; 4]) -> [Pos2; 4] {
    let a = pos2((p[0] + p[2]) as f32, (p[1] + p[3] / 2.0) as f32);
    let b = pos2(c[0] as f32, (c[1] + c[3] / 2.0) as f32);
    let mid = a.x + ((b.x - a.x) / 2.0).max(12.0);
    [a, pos2(mid, a.y), pos2(mid, b.y), b]
}

/// Says next to the pointer why a drop is refused.
fn refusal(painter: &egui::Painter, at: Pos2, why: Refusal, lang: Lang) {
    use crate::ui::i18n::T;
    let text = match why {
        Refusal::GoalAsTerm => T::RefuseGoal,
        Refusal::Cycle => T::RefuseCycle,
        Refusal::FactorUnderIndicator => T::RefuseKsf,
        Refusal::Exists => T::RefuseExists,
        Refusal::SelfLink => T::RefuseSelf,
    }
    .get(lang);
    let galley = painter.layout_no_wrap(text.to_owned(), paint::font(MIN_TEXT, false), Color32::WHITE);
    let r = Rect::from_min_size(at + vec2(14.0, 10.0), galley.size() + vec2(10.0, 6.0));
    painter.rect_filled(r, 4.0, colour::INVALID);
    painter.galley(r.min + vec2(5.0, 3.0), galley, Color32::WHITE);
}
